; InstaOTP Desktop: a per-user installer (no administrator rights), built with Debian's makensis by
; scripts/build-windows.sh:
;   makensis -DVERSION=0.1.0 -DEXE=path\to\instaotp-desktop.exe -DOUTFILE=InstaOTP-Desktop-0.1.0-x64-setup.exe installer.nsi
; Installs into %LOCALAPPDATA%\Programs\InstaOTP Desktop, adds a Start-menu entry and an "Apps &
; features" entry with an uninstaller. An earlier version is replaced in place. The data folder
; (%LOCALAPPDATA%\InstaOTP\instaotp-desktop) and the key in Credential Manager are never touched,
; by the installer or by the uninstaller. `/S` installs (and uninstalls) silently. `/RELAUNCH` (the
; app's "Restart to update") waits for the app to close, then starts the new version; if the install
; fails, it starts the old one again, which says the update did not install.

Unicode true
; 64-bit installer stub: the app is x64 only, and Wine without its 32-bit part (CI) runs it.
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
; CI's installers (build-windows.sh --profile windows-ci, never shipped) are packed quickly: LZMA
; took 70 s for CI's unoptimised .exe, and CI builds two installers.
!ifdef QUICK_COMPRESSION
  SetCompressor zlib
!else
  SetCompressor /SOLID lzma
!endif

!ifndef VERSION
  !error "VERSION is not defined (makensis -DVERSION=...)"
!endif
!ifndef EXE
  !error "EXE is not defined: the path of the built instaotp-desktop.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "InstaOTP-Desktop-${VERSION}-x64-setup.exe"
!endif
!ifndef ICON
  !define ICON "..\..\assets\icon.ico"
!endif

!define APP_NAME "InstaOTP Desktop"
!define APP_EXE "instaotp-desktop.exe"
!define PUBLISHER "InstaOTP Desktop developers"
; The key under HKCU that Windows reads for "Apps & features"; also where the install folder is kept.
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\InstaOTP Desktop"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
; An earlier install is upgraded where it is.
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Var relaunch

Function .onInit
  StrCpy $relaunch "0"
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/RELAUNCH" $R1
  IfErrors +2 0
    StrCpy $relaunch "1"
FunctionEnd

; The install failed: the app that asked for it is started again (its files are as they were).
Function .onInstFailed
  StrCmp $relaunch "1" 0 +2
    Exec '"$INSTDIR\${APP_EXE}"'
FunctionEnd

Section "Install"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; A running app keeps its .exe locked: ask it to close first (the same check on upgrade).
  ; Silent (the app's own update), it waits up to 30 s for the app to close.
  StrCpy $R9 0
  retry:
  ClearErrors
  File "/oname=${APP_EXE}" "${EXE}"
  IfErrors 0 copied
    IfSilent 0 ask
      IntOp $R9 $R9 + 1
      IntCmp $R9 60 fail wait fail
      wait:
      Sleep 500
      Goto retry
    ask:
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP_NAME} is running. Close it, then press Retry." IDRETRY retry
    fail:
    Abort "${APP_NAME} is running; close it and start the installer again."
  copied:
  File "/oname=icon.ico" "${ICON}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\icon.ico" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\icon.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
  ; The app's own update: the new version starts and says what is new.
  StrCmp $relaunch "1" 0 +2
    Exec '"$INSTDIR\${APP_EXE}"'
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  ; Only what the installer put there: the data folder and the saved key stay.
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\icon.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
