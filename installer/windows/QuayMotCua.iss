; Quầy Một Cửa: the Windows installer (Inno Setup 6.5 or newer; also builds with 7).
;
;   installer\windows\build.ps1            builds dist\counter-app, then calls ISCC on this file
;   ISCC installer\windows\QuayMotCua.iss   by hand, once dist\counter-app exists
;
; Per-user install, no administrator needed: %LOCALAPPDATA%\Programs\QuayMotCua ({autopf} in the
; non-administrative install mode), Start-menu and desktop shortcuts for this user. An administrator
; may instead install for all users into Program Files with "QuayMotCua-<version>-setup.exe /ALLUSERS".
;
; The store is NOT here: the app keeps it in the user's data folder, %LOCALAPPDATA%\QuayMotCua
; (platformdirs.user_data_dir("QuayMotCua", appauthor=False), counter_app/config.py), and its window
; preferences under HKCU\Software\QuayMotCua (QSettings). This script never names either in [Files],
; [InstallDelete] or [UninstallDelete], so installing, upgrading and uninstalling never touch the
; dossiers. An upgrade is the same AppId installed over the old one: same folder, same tasks.
;
; The file is UTF-8 (Vietnamese text); keep the BOM for Inno Setup versions before 6.3.

#if VER < EncodeVer(6, 5, 0)
  #error Quầy Một Cửa needs Inno Setup 6.5 or newer (its Vietnamese translation is written for 6.5).
#endif

#define AppName "Quầy Một Cửa"
#define AppExe "QuayMotCua.exe"
#define CliExe "counter-app.exe"
#define DataFolder "QuayMotCua"
#define Root AddBackslash(SourcePath) + "..\.."
#ifndef BundleDir
  #define BundleDir Root + "\dist\counter-app"
#endif
#ifndef OutputDir
  #define OutputDir Root + "\dist\installer"
#endif

#if !FileExists(BundleDir + "\" + AppExe) || !FileExists(BundleDir + "\" + CliExe)
  #error dist\counter-app is missing or incomplete: run installer\windows\build.ps1 first.
#endif

; The version comes from pyproject.toml through the executable's version resource (counter-app.spec);
; build.ps1 also passes it as /DAppVersion=... .
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(BundleDir + "\" + CliExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error No version: the executable carries no version resource. Rebuild with build.ps1.
#endif
; Numbers only (a.b.c.d), for the setup file's own version resource.
#define AppVersionNumbers GetVersionNumbersString(BundleDir + "\" + CliExe)

; Inno Setup ships Vietnamese as an unofficial translation: use the compiler's copy when the admin
; has put it in its Languages folder, else the one build.ps1 downloads next to this script.
#if FileExists(AddBackslash(CompilerPath) + "Languages\Vietnamese.isl")
  #define VietnameseIsl "compiler:Languages\Vietnamese.isl"
#elif FileExists(AddBackslash(SourcePath) + "Vietnamese.isl")
  #define VietnameseIsl AddBackslash(SourcePath) + "Vietnamese.isl"
#else
  #error Vietnamese.isl not found: run build.ps1 (it downloads it) or copy it into Inno Setup's Languages folder.
#endif

[Setup]
; Never change the AppId: it is how an upgrade finds the installed copy.
AppId={{6B1E2C4A-9D37-4F0B-8C55-3A7E1D2F9B60}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Bộ phận tiếp nhận và trả kết quả
VersionInfoVersion={#AppVersionNumbers}
VersionInfoProductName={#AppName}
VersionInfoDescription=Cài đặt {#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\QuayMotCua
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
UsePreviousTasks=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
WizardStyle=modern
ShowLanguageDialog=no
SetupIconFile={#Root}\resources\icons\counter-app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
CloseApplications=yes
RestartApplications=no
OutputDir={#OutputDir}
OutputBaseFilename=QuayMotCua-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
SetupLogging=yes

[Languages]
Name: "vi"; MessagesFile: "{#VietnameseIsl}"

[CustomMessages]
vi.ShortcutComment=Tiếp nhận và trả kết quả hồ sơ
vi.DataInsideProgram=Không cài được vào %1: thư mục chương trình không được trùng hoặc nằm trong thư mục dữ liệu %2. Hãy chọn thư mục khác.
vi.KeptAfterUninstall=Đã gỡ chương trình. Kho dữ liệu hồ sơ và các bản sao lưu vẫn được giữ nguyên ở:%n%n%1%n%nCài lại Quầy Một Cửa sẽ dùng tiếp kho dữ liệu này. Chỉ xóa thư mục đó khi chắc chắn không cần dữ liệu nữa (sao lưu trước).
vi.CommandLineShortcut=Dòng lệnh Quầy Một Cửa (quản trị)

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole program: files an older version had and this one dropped must not
; linger in _internal. Only the program folder; the data folder is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "{cm:ShortcutComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon
; For the IT admin: a console in Documents with counter-app.exe on its PATH (commands in installer\README.md).
Name: "{autoprograms}\{cm:CommandLineShortcut}"; Filename: "{cmd}"; Parameters: "/k ""set PATH={app};%PATH%&& counter-app --help"""; WorkingDir: "{userdocs}"

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function DataDir: String;
begin
  Result := ExpandConstant('{localappdata}\{#DataFolder}');
end;

function IsSameOrInside(const Inner, Outer: String): Boolean;
begin
  Result := Pos(Lowercase(AddBackslash(Outer)), Lowercase(AddBackslash(Inner))) = 1;
end;

{ Called in silent installs too: never let the program folder and the data folder overlap, or an
  upgrade's [InstallDelete] and an uninstall could reach the store. }
function PrepareToInstall(var NeedsRestart: Boolean): String;
var
  AppDir: String;
begin
  Result := '';
  AppDir := ExpandConstant('{app}');
  if IsSameOrInside(AppDir, DataDir) or IsSameOrInside(DataDir, AppDir) then
    Result := FmtMessage(CustomMessage('DataInsideProgram'), [AppDir, DataDir]);
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and (not UninstallSilent) and DirExists(DataDir) then
    MsgBox(FmtMessage(CustomMessage('KeptAfterUninstall'), [DataDir]), mbInformation, MB_OK);
end;
