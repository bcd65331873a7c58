<#
.SYNOPSIS
    Builds Quầy Một Cửa for Windows: dist\counter-app\ (the program, portable as it is),
    dist\QuayMotCua-<version>-portable.zip and dist\installer\QuayMotCua-<version>-setup.exe.

.DESCRIPTION
    From a PowerShell prompt in the repository, no administrator needed:

        powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1

    Needs Python 3.11 or newer, 64-bit (python.org), and Inno Setup 6.5 or newer for the installer
    (a per-user install is enough: winget install JRSoftware.InnoSetup). Uses the same
    installer\counter-app.spec as the Linux build; PyInstaller cannot cross-compile, so the Windows
    program is built on Windows.

    Steps: .venv with the app and PyInstaller; the bundle; a short check of the frozen program in a
    temporary data folder (version, init, catalogue, intake, slip, nothing written into the program
    folder); the portable zip; the installer.

.PARAMETER Python
    python.exe to create .venv with (default: the "py" launcher's newest 3.x, else python on PATH).
.PARAMETER Iscc
    ISCC.exe of Inno Setup (default: on PATH, or the usual Inno Setup 6 folders).
.PARAMETER NoInstaller
    Stop after the bundle and the portable zip.
#>
[CmdletBinding()]
param(
    [string]$Python = '',
    [string]$Iscc = '',
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
$Bundle = Join-Path $Root 'dist\counter-app'
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
        $exe = Invoke-Quietly { & $launcher.Path -3 -c 'import sys; print(sys.executable)' 2>$null }
        if ($LASTEXITCODE -eq 0 -and $exe) { return ($exe | Select-Object -First 1).Trim() }
    }
    $onPath = Get-Command python.exe -ErrorAction SilentlyContinue
    if ($onPath -and $onPath.Path -notlike '*\WindowsApps\*') { return $onPath.Path }
    throw 'Python not found: install Python 3.11+ (64-bit) from python.org, or pass -Python C:\path\to\python.exe'
}

function Find-Iscc {
    if ($Iscc) { return $Iscc }
    $onPath = Get-Command ISCC.exe -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Path }
    $roots = @((Join-Path $env:LOCALAPPDATA 'Programs'), ${env:ProgramFiles(x86)}, $env:ProgramFiles) | Where-Object { $_ }
    foreach ($root in $roots) {
        foreach ($major in @('6', '7')) {
            $candidate = Join-Path $root "Inno Setup $major\ISCC.exe"
            if (Test-Path $candidate) { return $candidate }
        }
    }
    throw 'Inno Setup not found: winget install JRSoftware.InnoSetup (or pass -Iscc C:\path\to\ISCC.exe, or -NoInstaller)'
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
Invoke-Checked $VenvPython @('-c', 'import struct, sys; assert sys.version_info >= (3, 11) and struct.calcsize(''P'') == 8, ''Python 3.11+ 64-bit is needed''')
Invoke-Checked $VenvPython @('-m', 'pip', 'install', '--quiet', '--upgrade', 'pip')
Invoke-Checked $VenvPython @('-m', 'pip', 'install', '--quiet', '-e', '.', 'pyinstaller>=6.10,<7')

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
    '--distpath', 'dist', '--workpath', 'build\pyinstaller', 'installer\counter-app.spec')
Write-Host ("build: bundle done in {0:N0} s" -f ((Get-Date) - $started).TotalSeconds)
foreach ($exe in @($Cli, $Gui)) {
    if (-not (Test-Path $exe)) { throw "missing from the bundle: $exe" }
}
Invoke-Checked $VenvPython @('installer\bundle_report.py', $Bundle, '--limit-mb', '150')

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
if (Compare-Object $before $after) { throw 'the program wrote into its own folder dist\counter-app' }
Write-Host 'check: nothing was written into the program folder'

# --- 4. portable zip and installer -----------------------------------------------------------------
$zip = Join-Path $Root "dist\QuayMotCua-$Version-portable.zip"
if (Test-Path $zip) { Remove-Item -LiteralPath $zip -Force }
Compress-Archive -Path $Bundle -DestinationPath $zip
Write-Host "build: $zip"

if ($NoInstaller) { return }
$isccExe = Find-Iscc
$languages = Join-Path (Split-Path $isccExe) 'Languages\Vietnamese.isl'
$localIsl = Join-Path $PSScriptRoot 'Vietnamese.isl'
if (-not (Test-Path $languages) -and -not (Test-Path $localIsl)) {
    # Inno Setup ships Vietnamese among its unofficial translations: fetch the one for this version.
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
    $innoVersion = (Get-Item $isccExe).VersionInfo.ProductVersion -replace '[^0-9.].*$', ''
    $tag = 'is-' + ($innoVersion -replace '\.', '_')
    $fetched = $false
    foreach ($ref in @($tag, 'main')) {
        $url = "https://raw.githubusercontent.com/jrsoftware/issrc/$ref/Files/Languages/Unofficial/Vietnamese.isl"
        try {
            Invoke-WebRequest -Uri $url -OutFile $localIsl -UseBasicParsing
            Write-Host "build: Vietnamese.isl from $url"
            $fetched = $true
            break
        }
        catch { Write-Host "build: no Vietnamese.isl at $url" }
    }
    if (-not $fetched) { throw "Vietnamese.isl not found: copy it into $(Split-Path $languages)" }
}
Invoke-Checked $isccExe @('/Qp', "/DAppVersion=$Version", (Join-Path $PSScriptRoot 'QuayMotCua.iss'))
$setup = Join-Path $Root "dist\installer\QuayMotCua-$Version-setup.exe"
Write-Host ("build: {0} ({1:N1} MB)" -f $setup, ((Get-Item $setup).Length / 1MB))
