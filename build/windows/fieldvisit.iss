; FieldVisit 驻村走访: the Windows installer (Inno Setup 6).
;
; `python3 build/dev.py package` on Windows freezes the one-folder app with
; build/fieldvisit.spec (the spec CI smoke-tests on Linux), smoke-runs it and prints the
; command that compiles this script, with the version from fieldvisit/__init__.py:
;
;   ISCC /DAppVersion=0.1.0 /DSourceDir="<repo>\build\dist\fieldvisit" /O"<repo>\build\dist" build\windows\fieldvisit.iss
;
; The version is never written here: it comes in on the command line from the one place.
; Data lives in the user's data folder (%LOCALAPPDATA%\FieldVisit), never under {app},
; and the uninstaller removes only what it installed: a cadre's data stays.

#ifndef AppVersion
  #error AppVersion is missing: run python3 build/dev.py package, which prints the ISCC command
#endif
#ifndef SourceDir
  #define SourceDir "..\dist\fieldvisit"
#endif

[Setup]
AppId={{49F584DA-8679-462C-96EA-09C43A02F430}
AppName=FieldVisit 驻村走访
AppVersion={#AppVersion}
AppVerName=FieldVisit 驻村走访 {#AppVersion}
AppPublisher=FieldVisit
DefaultDirName={autopf}\FieldVisit
DefaultGroupName=驻村走访 FieldVisit
DisableProgramGroupPage=yes
OutputBaseFilename=fieldvisit-{#AppVersion}-setup
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
UninstallDisplayIcon={app}\fieldvisit.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\驻村走访 FieldVisit"; Filename: "{app}\fieldvisit.exe"; Parameters: "app"
Name: "{autodesktop}\驻村走访 FieldVisit"; Filename: "{app}\fieldvisit.exe"; Parameters: "app"; Tasks: desktopicon

[Registry]
; A double-click on a bundle (.fvb) or an enrollment file (.fve) on the stick opens it in
; the app: fieldvisit.exe app "FILE", as the Linux desktop entry's Exec=fieldvisit app %f.
Root: HKA; Subkey: "Software\Classes\.fvb"; ValueType: string; ValueName: ""; ValueData: "FieldVisit.Bundle"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\FieldVisit.Bundle"; ValueType: string; ValueName: ""; ValueData: "驻村走访同步包 FieldVisit sync bundle"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\FieldVisit.Bundle\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\fieldvisit.exe,0"
Root: HKA; Subkey: "Software\Classes\FieldVisit.Bundle\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\fieldvisit.exe"" app ""%1"""
Root: HKA; Subkey: "Software\Classes\.fve"; ValueType: string; ValueName: ""; ValueData: "FieldVisit.Enrollment"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\FieldVisit.Enrollment"; ValueType: string; ValueName: ""; ValueData: "驻村走访注册文件 FieldVisit enrollment file"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\FieldVisit.Enrollment\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\fieldvisit.exe,0"
Root: HKA; Subkey: "Software\Classes\FieldVisit.Enrollment\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\fieldvisit.exe"" app ""%1"""

[Run]
Filename: "{app}\fieldvisit.exe"; Parameters: "app"; Description: "{cm:LaunchProgram,驻村走访 FieldVisit}"; Flags: nowait postinstall skipifsilent
