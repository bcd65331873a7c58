; Quầy Một Cửa: the Windows installer (NSIS 3, Unicode). The same file builds on Windows
; (installer\windows\build.ps1) and on Linux (installer/windows/build-wine.sh, Debian's makensis):
;
;   makensis -DVERSION=0.1.0 -DBUNDLE=<dist\counter-app> -DOUTFILE=<…\QuayMotCua-0.1.0-setup.exe> QuayMotCua.nsi
;
; Per user, no administrator rights (commune officers have none): %LOCALAPPDATA%\Programs\QuayMotCua,
; Start-menu and desktop shortcuts for this user, the uninstaller registered under HKCU. Silent:
; setup.exe /S (and /D=<folder> to choose another folder; it must be the last argument).
;
; The store is NOT here: the app keeps it in %LOCALAPPDATA%\QuayMotCua (platformdirs'
; user_data_dir("QuayMotCua", appauthor=False), counter_app/config.py) and its window preferences
; under HKCU\Software\QuayMotCua (QSettings). Nothing below names either, so installing, upgrading and
; uninstalling never touch the dossiers. An upgrade is the same uninstall key (APP_KEY) and the same
; folder: the old _internal\ and executables are removed first, so no stale file of an older version
; lingers.
;
; UTF-8 with BOM (makensis reads a BOM-less file in the ANSI code page).

Unicode true
ManifestDPIAware true
ManifestSupportedOS Win10
RequestExecutionLevel user
; A test build may pass -DCOMPRESSOR=zlib (ci-wine.sh's N+1 for the upgrade check: several times faster, larger).
!ifndef COMPRESSOR
  !define COMPRESSOR "/SOLID lzma"
!endif
SetCompressor ${COMPRESSOR}
!if "${COMPRESSOR}" == "/SOLID lzma"
  SetCompressorDictSize 64  ; 37 MB instead of 49 MB with the default 8 MB dictionary
!endif

!ifndef VERSION
  !error "pass -DVERSION=<pyproject.toml's version>"
!endif
!ifndef BUNDLE
  !error "pass -DBUNDLE=<the PyInstaller folder dist\counter-app>"
!endif
!ifndef OUTFILE
  !define OUTFILE "QuayMotCua-${VERSION}-setup.exe"
!endif
!ifndef VERSION_NUMBERS
  !define VERSION_NUMBERS "0.0.0.0"
!endif

!define APP_NAME "Quầy Một Cửa"
!define APP_EXE "QuayMotCua.exe"
!define CLI_EXE "counter-app.exe"
!define DATA_FOLDER "QuayMotCua"
; Never change: how an upgrade and Settings > Apps find the installed copy.
!define APP_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\QuayMotCua"
!define UNINSTALLER "uninstall.exe"

!include "MUI2.nsh"
!include "LogicLib.nsh"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\QuayMotCua"
InstallDirRegKey HKCU "${APP_KEY}" "InstallLocation"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION_NUMBERS}"
VIAddVersionKey /LANG=1066 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1066 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "FileDescription" "Cài đặt ${APP_NAME}"
VIAddVersionKey /LANG=1066 "CompanyName" "${APP_NAME}"
VIAddVersionKey /LANG=1066 "LegalCopyright" "${APP_NAME}"

; Relative to this file (makensis works in its folder); forward slashes work on Linux and Windows.
!define MUI_ICON "../../resources/icons/counter-app.ico"
!define MUI_UNICON "../../resources/icons/counter-app.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_NOREBOOTSUPPORT

!insertmacro MUI_PAGE_WELCOME
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE CheckFolder
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Vietnamese"
!include "strings-vi.nsh"

; 1 in $0 when $INSTDIR and the data folder are the same, or one holds the other (StrCmp ignores case).
!macro OverlapsData un
Function ${un}OverlapsData
  Push $1
  Push $2
  StrCpy $0 0
  StrCpy $1 "$LOCALAPPDATA\${DATA_FOLDER}\"
  StrLen $2 $1
  StrCpy $2 "$INSTDIR\" $2
  ${If} $2 == $1
    StrCpy $0 1
  ${EndIf}
  StrLen $2 "$INSTDIR\"
  StrCpy $2 $1 $2
  ${If} $2 == "$INSTDIR\"
    StrCpy $0 1
  ${EndIf}
  Pop $2
  Pop $1
FunctionEnd
!macroend
!insertmacro OverlapsData ""
!insertmacro OverlapsData "un."

Function CheckFolder
  Call OverlapsData
  ${If} $0 == 1
    MessageBox MB_OK|MB_ICONSTOP "$(DataInsideProgram)"
    Abort
  ${EndIf}
FunctionEnd

Section "-program"
  SetShellVarContext current
  ; Silent installs skip the directory page: check here too, before anything is removed.
  Call OverlapsData
  ${If} $0 == 1
    MessageBox MB_OK|MB_ICONSTOP "$(DataInsideProgram)" /SD IDOK
    Abort
  ${EndIf}

  ; An open window holds QuayMotCua.exe (Windows cannot delete a running program): ask to close it,
  ; so that an upgrade never mixes two versions. Silent: give up (exit code 2) rather than wait.
  retry:
  ClearErrors
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
    Delete "$INSTDIR\${APP_EXE}"
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(CloseTheProgram)" /SD IDCANCEL IDRETRY retry
      Abort
    ${EndIf}
  ${EndIf}

  ; The previous version's program, whole: what it had and this one dropped must not linger.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${CLI_EXE}"

  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  SetOutPath "$DOCUMENTS"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 \
    SW_SHOWNORMAL "" "$(ShortcutComment)"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 \
    SW_SHOWNORMAL "" "$(ShortcutComment)"
  ; For the IT admin: a console in Documents with counter-app.exe on its PATH (installer\README.md).
  CreateShortcut "$SMPROGRAMS\$(CommandLineShortcut).lnk" "$SYSDIR\cmd.exe" \
    '/k "set PATH=$INSTDIR;%PATH%&& counter-app --help"' "$INSTDIR\${CLI_EXE}" 0

  WriteRegStr HKCU "${APP_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${APP_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${APP_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${APP_KEY}" "Publisher" "$(Publisher)"
  WriteRegStr HKCU "${APP_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${APP_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${APP_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${APP_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${APP_KEY}" "NoRepair" 1
SectionEnd

Section "un.program"
  SetShellVarContext current
  ; Only a folder that holds our program, and never one that holds the data, is removed whole.
  Call un.OverlapsData
  ${If} $0 == 1
  ${OrIfNot} ${FileExists} "$INSTDIR\${CLI_EXE}"
    MessageBox MB_OK|MB_ICONSTOP "$(NotOurFolder)" /SD IDOK
    Abort
  ${EndIf}
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\$(CommandLineShortcut).lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${APP_KEY}"
  ${If} ${FileExists} "$LOCALAPPDATA\${DATA_FOLDER}\*.*"
    MessageBox MB_OK|MB_ICONINFORMATION "$(KeptAfterUninstall)" /SD IDOK
  ${EndIf}
SectionEnd
