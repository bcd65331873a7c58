<#
.SYNOPSIS
    Builds Quầy Một Cửa for Windows: dist\windows\counter-app\ (the program, portable as it is),
    dist\windows\QuayMotCua-<version>-portable.zip and dist\windows\QuayMotCua-<version>-setup.exe.

.DESCRIPTION
    From a PowerShell prompt in the repository, no administrator needed:

        powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1

    Needs Python 3.11 64-bit (python.org; 3.11.9 is what installer/windows/python-win.lock pins for
    the Linux-side build) and NSIS 3 for the installer (winget install NSIS.NSIS). Uses the same
    installer\counter-app.spec and installer\windows\QuayMotCua.nsi as the Linux-side build
    (installer/windows/build-wine.sh, under Wine), and the same pinned packages
    (installer\windows\requirements-win.txt, with hashes).

    Steps: .venv with the app and PyInstaller; the bundle; a short check of the frozen program in a
    temporary data folder (version, init, catalogue, intake, slip, nothing written into the program
    folder); the portable zip; the installer.

.PARAMETER Python
    python.exe to create .venv with (default: the "py" launcher's 3.11, else python on PATH).
.PARAMETER Makensis
    makensis.exe of NSIS (default: on PATH, or the usual NSIS folders).
.PARAMETER NoInstaller
    Stop after the bundle and the portable zip.
#>
[CmdletBinding()]
param(
    [string]$Python = '',
    [string]$Makensis = '',
    [switch]$NoInstaller
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding($false) } catch { }
$env:PYTHONUTF8 = '1'
$env:PYTHONIOENCODING = 'utf-8'
$Utf8NoBom = New-Object System.Text.UTF8Encoding($false)

$Root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
Set-Location $Root
$Dist = Join-Path $Root 'dist\windows'
$Bundle = Join-Path $Dist 'counter-app'
$Cli = Join-Path $Bundle 'counter-app.exe'
$Gui = Join-Path $Bundle 'QuayMotCua.exe'
$VenvPython = Join-Path $Root '.venv\Scripts\python.exe'

function Invoke-Checked {
    param([Parameter(Mandatory = $true)][string]$Exe, [string[]]$Arguments = @())
    # Windows PowerShell turns a native program's stderr into errors under 'Stop' once output is
    # redirected (PyInstaller and pip log there): judge the program by its exit code instead.
    $previous = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try { & $Exe @Arguments } finally { $ErrorActionPreference = $previous }
    if ($LASTEXITCODE -ne 0) {
        throw "'$Exe $($Arguments -join ' ')' failed (exit code $LASTEXITCODE)"
    }
}

function Invoke-Quietly([scriptblock]$Block) {
    # The same for a program whose output is kept.
    $previous = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try { & $Block } finally { $ErrorActionPreference = $previous }
}

function Find-Python {
    if ($Python) { return $Python }
    $launcher = Get-Command py.exe -ErrorAction SilentlyContinue
    if ($launcher) {
        $exe = Invoke-Quietly { & $launcher.Path -3.11 -c 'import sys; print(sys.executable)' 2>$null }
        if ($LASTEXITCODE -eq 0 -and $exe) { return ($exe | Select-Object -First 1).Trim() }
    }
    $onPath = Get-Command python.exe -ErrorAction SilentlyContinue
    if ($onPath -and $onPath.Path -notlike '*\WindowsApps\*') { return $onPath.Path }
    throw 'Python not found: install Python 3.11 (64-bit) from python.org, or pass -Python C:\path\to\python.exe'
}

function Find-Makensis {
    if ($Makensis) { return $Makensis }
    $onPath = Get-Command makensis.exe -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Path }
    $roots = @(${env:ProgramFiles(x86)}, $env:ProgramFiles, (Join-Path $env:LOCALAPPDATA 'Programs')) | Where-Object { $_ }
    foreach ($root in $roots) {
        $candidate = Join-Path $root 'NSIS\makensis.exe'
        if (Test-Path $candidate) { return $candidate }
    }
    throw 'NSIS not found: winget install NSIS.NSIS (or pass -Makensis C:\path\to\makensis.exe, or -NoInstaller)'
}

function Get-Snapshot([string]$Folder) {
    Get-ChildItem -LiteralPath $Folder -Recurse -Force |
        ForEach-Object { '{0}|{1}|{2}' -f $_.FullName, $(if ($_.PSIsContainer) { '' } else { $_.Length }), $_.LastWriteTimeUtc.Ticks }
}

# --- 1. the environment --------------------------------------------------------------------------
if (-not (Test-Path $VenvPython)) {
    $base = Find-Python
    Write-Host "build: creating .venv with $base"
    Invoke-Checked $base @('-m', 'venv', '.venv')
}
# (no double quotes inside arguments: Windows PowerShell 5.1 passes them to programs unescaped)
Invoke-Checked $VenvPython @('-c', 'import struct, sys; assert sys.version_info[:2] == (3, 11) and struct.calcsize(''P'') == 8, ''Python 3.11 64-bit is needed (the pinned wheels are for 3.11)''')
Invoke-Checked $VenvPython @('-m', 'pip', 'install', '--quiet', '--upgrade', 'pip')
# The pinned packages (the same files as the Linux-side build), then the app itself without dependencies.
Invoke-Checked $VenvPython @('-m', 'pip', 'install', '--quiet', '--no-deps', '--require-hashes', '-r', 'installer\windows\requirements-win.txt')
Invoke-Checked $VenvPython @('-m', 'pip', 'install', '--quiet', '--no-deps', '--no-build-isolation', '-e', '.')
$pinned = (Get-Content (Join-Path $PSScriptRoot 'python-win.lock') | Where-Object { $_ -match '^python=' }) -replace '^python=', ''
$running = (Invoke-Quietly { & $VenvPython -c 'import platform; print(platform.python_version())' } | Out-String).Trim()
if ($running -ne $pinned) { Write-Warning "Python $running here; the Linux-side build uses $pinned (python-win.lock)" }

$pyproject = [IO.File]::ReadAllText((Join-Path $Root 'pyproject.toml'), [Text.Encoding]::UTF8)
if ($pyproject -notmatch '(?m)^version\s*=\s*"([^"]+)"') { throw 'no version in pyproject.toml' }
$Version = $Matches[1]
$codeVersion = (Invoke-Quietly { & $VenvPython -c 'import counter_app; print(counter_app.__version__)' } | Out-String).Trim()
if ($codeVersion -ne $Version) {
    throw "pyproject.toml says $Version but counter_app\__init__.py says $codeVersion"
}

# --- 2. the bundle ---------------------------------------------------------------------------------
Write-Host "build: Quầy Một Cửa $Version"
if (Test-Path $Bundle) { Remove-Item -LiteralPath $Bundle -Recurse -Force }
$started = Get-Date
Invoke-Checked $VenvPython @('-m', 'PyInstaller', '--noconfirm', '--clean', '--log-level', 'WARN',
    '--distpath', $Dist, '--workpath', 'build\windows\pyinstaller', 'installer\counter-app.spec')
Write-Host ("build: bundle done in {0:N0} s" -f ((Get-Date) - $started).TotalSeconds)
foreach ($exe in @($Cli, $Gui)) {
    if (-not (Test-Path $exe)) { throw "missing from the bundle: $exe" }
}
Invoke-Checked $VenvPython @('installer\bundle_report.py', $Bundle, '--limit-mb', '130')

# --- 3. a short check of the frozen program --------------------------------------------------------
$before = Get-Snapshot $Bundle
$work = Join-Path ([IO.Path]::GetTempPath()) ('qmc-build-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
$data = Join-Path $work 'data'
New-Item -ItemType Directory -Path $work | Out-Null
try {
    $printed = (Invoke-Quietly { & $Cli --version } | Out-String).Trim()
    if ($printed -ne "Quầy Một Cửa $Version") { throw "counter-app.exe --version printed '$printed'" }
    $seconds = (Measure-Command { & $Cli --version | Out-Null }).TotalSeconds
    Write-Host ("check: --version ok ({0:N2} s warm)" -f $seconds)

    Invoke-Checked $Cli @('--data-dir', $data, 'init', '--agency-code', '000.00.20.H12', '--agency-name', 'UBND xã Bình Mỹ')
    $procedures = (Invoke-Quietly { & $Cli --data-dir $data catalogue list } | Out-String) | ConvertFrom-Json
    if ($LASTEXITCODE -ne 0 -or @($procedures).Count -eq 0) { throw 'catalogue list failed' }
    $dossierFile = Join-Path $work 'dossier.json'
    $dossierJson = '{"procedure_code": "' + @($procedures)[0].code + '", "applicant": {"full_name": "Nguyễn Văn Đức", "id_number": "001090123456"}}'
    [IO.File]::WriteAllText($dossierFile, $dossierJson, $Utf8NoBom)
    $dossier = (Invoke-Quietly { & $Cli --data-dir $data intake --json $dossierFile } | Out-String) | ConvertFrom-Json
    if ($LASTEXITCODE -ne 0) { throw 'intake failed' }
    $pdf = Join-Path $work 'giay-hen.pdf'
    Invoke-Checked $Cli @('--data-dir', $data, 'slip', $dossier.code, '-o', $pdf)
    if (-not (Test-Path $pdf)) { throw 'slip wrote no PDF' }
    Write-Host "check: init, catalogue ($(@($procedures).Count) procedures), intake $($dossier.code), slip ok"
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
$after = Get-Snapshot $Bundle
if (Compare-Object $before $after) { throw 'the program wrote into its own folder dist\windows\counter-app' }
Write-Host 'check: nothing was written into the program folder'

# --- 4. portable zip and installer -----------------------------------------------------------------
$zip = Join-Path $Dist "QuayMotCua-$Version-portable.zip"
if (Test-Path $zip) { Remove-Item -LiteralPath $zip -Force }
Compress-Archive -Path $Bundle -DestinationPath $zip
Write-Host "build: $zip"

if ($NoInstaller) { return }
$makensisExe = Find-Makensis
$numbers = @([regex]::Matches($Version, '\d+') | ForEach-Object { $_.Value } | Select-Object -First 4)
while ($numbers.Count -lt 4) { $numbers += '0' }
$setup = Join-Path $Dist "QuayMotCua-$Version-setup.exe"
Invoke-Checked $makensisExe @('/V2', '/INPUTCHARSET', 'UTF8', "/DVERSION=$Version", "/DVERSION_NUMBERS=$($numbers -join '.')",
    "/DBUNDLE=$Bundle", "/DOUTFILE=$setup", (Join-Path $PSScriptRoot 'QuayMotCua.nsi'))
$setupMb = (Get-Item $setup).Length / 1MB
Write-Host ("build: {0} ({1:N1} MB)" -f $setup, $setupMb)
if ($setupMb -gt 60) { throw "the installer is over 60 MB" }
