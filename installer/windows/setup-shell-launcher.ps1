<#
.SYNOPSIS
  Makes a Windows 10/11 Enterprise, Education or IoT Enterprise PC a bdc-kiosk terminal:
  the kiosk account gets bdc-kiosk instead of Explorer as its shell (Shell Launcher),
  restarted when it exits; every other account keeps Explorer.

.DESCRIPTION
  Run once, as Administrator, after the Inno Setup installer.  Shell Launcher is used, not
  Assigned Access: assigned access single-app kiosks run UWP/Edge apps, while Shell Launcher
  runs a classic desktop program (our PyInstaller executable) as the whole shell.
  What it changes, and -Undo reverts: the optional feature Client-EmbeddedShellLauncher
  (enabled, may need a reboot), the Shell Launcher entry of the kiosk account, the
  auto-logon values under HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon
  (only with -AutoLogon; the password is stored there in clear text by Windows' design,
  so use a local account with no other rights).  The account itself is created if missing.

.EXAMPLE
  .\setup-shell-launcher.ps1 -User bdckiosk -AutoLogon -Password (Read-Host -AsSecureString)
  .\setup-shell-launcher.ps1 -User bdckiosk -Undo
#>
param(
  [string]$User = "bdckiosk",
  [switch]$AutoLogon,
  [System.Security.SecureString]$Password,
  [switch]$Undo,
  [string]$App = "${env:ProgramFiles}\bdc-kiosk\bdc-kiosk-gui.exe"
)
$ErrorActionPreference = "Stop"
$RestartShell = 0   # Shell Launcher exit action: 0 restart the shell, 1 restart the PC, 2 shut down, 3 nothing

if (-not ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  Write-Error "请以管理员身份运行。"; exit 1
}
$feature = Get-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher
if ($feature.State -ne "Enabled" -and -not $Undo) {
  Enable-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher -All -NoRestart | Out-Null
  Write-Host "Shell Launcher feature enabled; if the next step fails, reboot and run this script again."
}

if (-not (Get-LocalUser -Name $User -ErrorAction SilentlyContinue)) {
  if ($Undo) { Write-Host "account $User does not exist"; exit 0 }
  if (-not $Password) { $Password = Read-Host -AsSecureString "kiosk account password" }
  New-LocalUser -Name $User -Password $Password -FullName "bdc-kiosk" -Description "bdc-kiosk self-service terminal" -PasswordNeverExpires -UserMayNotChangePassword | Out-Null
  Add-LocalGroupMember -Group "Users" -Member $User
  Write-Host "created local account $User"
}
$sid = (New-Object System.Security.Principal.NTAccount($User)).Translate([System.Security.Principal.SecurityIdentifier]).Value

$shell = [wmiclass]"\\localhost\root\standardcimv2\embedded:WESL_UserSetting"
if ($Undo) {
  try { $shell.RemoveCustomShell($sid) | Out-Null } catch { }
  $winlogon = "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon"
  if ((Get-ItemProperty $winlogon -Name DefaultUserName -ErrorAction SilentlyContinue).DefaultUserName -eq $User) {
    Set-ItemProperty $winlogon -Name AutoAdminLogon -Value "0"
    Remove-ItemProperty $winlogon -Name DefaultPassword -ErrorAction SilentlyContinue
  }
  Write-Host "Shell Launcher entry and auto-logon of $User removed (account and data kept)."
  exit 0
}
if (-not (Test-Path $App)) { Write-Error "找不到 $App，请先运行安装程序。"; exit 1 }
$shell.SetDefaultShell("explorer.exe", $RestartShell) | Out-Null
try { $shell.RemoveCustomShell($sid) | Out-Null } catch { }
$shell.SetCustomShell($sid, "`"$App`" run --mode kiosk", $null, $null, $RestartShell) | Out-Null
$shell.SetEnabled($true) | Out-Null
Write-Host "Shell Launcher: $User -> $App run --mode kiosk (restarted on exit)"

if ($AutoLogon) {
  if (-not $Password) { $Password = Read-Host -AsSecureString "kiosk account password" }
  $plain = [Runtime.InteropServices.Marshal]::PtrToStringAuto([Runtime.InteropServices.Marshal]::SecureStringToBSTR($Password))
  $winlogon = "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon"
  Set-ItemProperty $winlogon -Name AutoAdminLogon -Value "1"
  Set-ItemProperty $winlogon -Name DefaultUserName -Value $User
  Set-ItemProperty $winlogon -Name DefaultDomainName -Value $env:COMPUTERNAME
  Set-ItemProperty $winlogon -Name DefaultPassword -Value $plain
  Write-Host "auto-logon set for $User"
}
Write-Host "Next: sign in once as $User and run: & `"$(Split-Path $App)\tools\install-model.ps1`" -Usb"
