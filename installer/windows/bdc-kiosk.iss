; Inno Setup 6 script for bdc-kiosk (不动产登记双录签名终端) on Windows 10/11 x64.
;
; Build: first the PyInstaller bundle on a Windows build machine
;   (py -3.11 -m PyInstaller --noconfirm installer\pyinstaller\bdc-kiosk.spec --distpath build\bundle\dist)
; then  ISCC.exe /DAppVersion=0.1.0 installer\windows\bdc-kiosk.iss
; Output: build\windows\bdc-kiosk-setup-<version>.exe
;
; The installer copies the bundle, creates Start-menu entries and, on a page of its own,
; installs the Chinese speech model from a file, a USB stick or an address given at
; install time (checked by install-model.ps1 against the published checksum).  It does not
; turn the PC into a kiosk: that is setup-shell-launcher.ps1, run once by a technician
; (docs/deployment.md, "Windows").  Uninstalling keeps the kiosk data
; (%LOCALAPPDATA%\luohe-bdc\bdc-kiosk): docs/operations.md says how to hand it over.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "不动产登记双录签名终端"
#define AppExe "bdc-kiosk.exe"
#define AppGuiExe "bdc-kiosk-gui.exe"
#define BundleDir "..\..\build\bundle\dist\bdc-kiosk"

[Setup]
AppId={{6E0B8F52-6C1D-4B8E-9C55-8D1B2C0A4F17}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=漯河市不动产登记中心
DefaultDirName={autopf}\bdc-kiosk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir=..\..\build\windows
OutputBaseFilename=bdc-kiosk-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppGuiExe}
CloseApplications=yes
RestartApplications=no

[Languages]
; ChineseSimplified.isl is maintained by the Inno Setup translators; copy it into the
; compiler's Languages folder if your Inno Setup does not ship it.
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "install-model.ps1"; DestDir: "{app}\tools"; Flags: ignoreversion
Source: "setup-shell-launcher.ps1"; DestDir: "{app}\tools"; Flags: ignoreversion
Source: "..\..\docs\deployment.md"; DestDir: "{app}\doc"; Flags: ignoreversion skipifsourcedoesntexist
Source: "..\..\docs\operations.md"; DestDir: "{app}\doc"; Flags: ignoreversion skipifsourcedoesntexist

[Icons]
Name: "{group}\柜台模式"; Filename: "{app}\{#AppGuiExe}"; Parameters: "run --mode counter"
Name: "{group}\自助模式"; Filename: "{app}\{#AppGuiExe}"; Parameters: "run --mode kiosk"
Name: "{group}\运维模式"; Filename: "{app}\{#AppGuiExe}"; Parameters: "run --mode technician"
Name: "{group}\环境自检 (doctor)"; Filename: "{cmd}"; Parameters: "/k ""{app}\{#AppExe}"" doctor"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppGuiExe}"; Parameters: "run --mode counter"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "创建桌面快捷方式（柜台模式）"; Flags: unchecked

[Run]
; The model is installed for the account that runs the installer's post-install step; for a
; dedicated kiosk account run tools\install-model.ps1 again as that account (deployment.md).
Filename: "powershell.exe"; \
  Parameters: "-NoProfile -ExecutionPolicy Bypass -File ""{app}\tools\install-model.ps1"" -Kiosk ""{app}\{#AppExe}"" {code:ModelArgs}"; \
  StatusMsg: "正在安装并校验中文语音模型…"; Flags: runhidden waituntilterminated; Check: WantModel
Filename: "{app}\{#AppExe}"; Parameters: "doctor"; Description: "运行环境自检"; \
  Flags: postinstall skipifsilent unchecked nowait

[Code]
var
  ModelPage: TInputOptionWizardPage;
  ModelSourcePage: TInputQueryWizardPage;

procedure InitializeWizard;
begin
  ModelPage := CreateInputOptionPage(wpSelectTasks,
    '中文语音模型', '陈述核对需要 vosk-model-small-cn-0.22 模型（约 42 MB）',
    '选择模型来源。安装程序会按官方公布的校验值检查文件，不一致则不安装。',
    True, False);
  ModelPage.Add('从U盘查找 vosk-model-small-cn-0.22.zip');
  ModelPage.Add('指定文件路径或下载地址');
  ModelPage.Add('暂不安装（以后用 tools\install-model.ps1 安装）');
  ModelPage.SelectedValueIndex := 0;
  ModelSourcePage := CreateInputQueryPage(ModelPage.ID,
    '模型文件位置', '文件路径（如 D:\vosk-model-small-cn-0.22.zip）或 http(s) 地址', '');
  ModelSourcePage.Add('路径或地址：', False);
end;

function ShouldSkipPage(PageID: Integer): Boolean;
begin
  Result := (PageID = ModelSourcePage.ID) and (ModelPage.SelectedValueIndex <> 1);
end;

function WantModel: Boolean;
begin
  Result := ModelPage.SelectedValueIndex <> 2;
end;

function ModelArgs(Param: String): String;
begin
  if ModelPage.SelectedValueIndex = 0 then
    Result := '-Usb'
  else
    Result := '-Source "' + ModelSourcePage.Values[0] + '"';
end;
