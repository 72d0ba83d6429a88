; Inno Setup script: a per-user install (no administrator rights) of the PyInstaller bundle in
; build\dist\pcbudget, with a Start menu entry and .pcbook files opening in pcbudget.
; Built by .github/workflows/windows.yml with: iscc packaging\windows\pcbudget.iss

#define AppName "pcbudget"
#define AppVersion GetEnv("PCBUDGET_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6E3B7C2A-7F0C-4C62-9B2E-5C0B0D6E7A11}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=pcbudget
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
DisableProgramGroupPage=yes
OutputDir=..\..\build\installer
OutputBaseFilename=pcbudget-{#AppVersion}-setup
SetupIconFile=pcbudget.ico
UninstallDisplayIcon={app}\pcbudget.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\..\build\dist\pcbudget\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\pcbudget.exe"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\pcbudget.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Registry]
; Per-user file association under HKCU\Software\Classes (HKA follows the install mode).
Root: HKA; Subkey: "Software\Classes\.pcbook"; ValueType: string; ValueName: ""; ValueData: "pcbudget.Book"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\pcbudget.Book"; ValueType: string; ValueName: ""; ValueData: "pcbudget budget book"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\pcbudget.Book\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\pcbudget.exe,0"
Root: HKA; Subkey: "Software\Classes\pcbudget.Book\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\pcbudget.exe"" ""%1"""

[Run]
Filename: "{app}\pcbudget.exe"; Description: "Open pcbudget"; Flags: nowait postinstall skipifsilent
