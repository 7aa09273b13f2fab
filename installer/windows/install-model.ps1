<#
.SYNOPSIS
  Installs the Chinese speech model vosk-model-small-cn-0.22 for bdc-kiosk on Windows,
  from a file, a URL or a USB stick, after checking it against the published checksum.

.DESCRIPTION
  The same rules as the Linux bdc-kiosk-install-model: vosk-model-small-cn-0.22.zip is
  accepted only if its size and MD5 equal the values the Vosk project publishes in its model
  list; any other zip needs -Sha256.  The verified file is then handed to
  `bdc-kiosk.exe models install FILE --sha256 HEX`, which unpacks it into the state
  directory of the account running this script.  `bdc-kiosk.exe doctor` then reports it.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File install-model.ps1 -Usb
  powershell -ExecutionPolicy Bypass -File install-model.ps1 -Source D:\vosk-model-small-cn-0.22.zip
  powershell -ExecutionPolicy Bypass -File install-model.ps1 -Source https://mirror.intranet/vosk-model-small-cn-0.22.zip
#>
param(
  [string]$Source = "",
  [switch]$Usb,
  [string]$Sha256 = "",
  [string]$State = "",
  [string]$Kiosk = "$PSScriptRoot\..\bdc-kiosk.exe"
)
$ErrorActionPreference = "Stop"
$ModelName = "vosk-model-small-cn-0.22"
$PublishedMd5 = "d1a8e82933dcc7632667c036b0bb3dbb"
$PublishedSize = 43898754

function Fail([string]$Message) { Write-Error $Message; exit 1 }

if ($Usb) {
  $drives = Get-CimInstance Win32_LogicalDisk | Where-Object { $_.DriveType -eq 2 }
  foreach ($d in $drives) {
    $hit = Get-ChildItem -Path "$($d.DeviceID)\" -Filter "$ModelName.zip" -Recurse -Depth 2 -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($hit) { $Source = $hit.FullName; break }
  }
  if (-not $Source) { Fail "在U盘上没有找到 $ModelName.zip。请把文件放在U盘根目录，插好后再试。" }
  Write-Host "found on removable media: $Source"
}
if (-not $Source) { Fail "用法：install-model.ps1 -Usb | -Source 文件或地址 [-Sha256 HEX]" }

$work = Join-Path ([System.IO.Path]::GetTempPath()) ("bdc-model-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path $work | Out-Null
try {
  if ($Source -match '^https?://') {
    $file = Join-Path $work ([System.IO.Path]::GetFileName(([uri]$Source).AbsolutePath))
    Write-Host "downloading $Source"
    try { Invoke-WebRequest -Uri $Source -OutFile $file -UseBasicParsing }
    catch { Fail "下载失败，请检查网络或地址：$Source" }
  } else {
    if (-not (Test-Path $Source -PathType Leaf)) { Fail "找不到文件：$Source" }
    $file = $Source
  }
  $name = [System.IO.Path]::GetFileName($file)
  if ($name -eq "$ModelName.zip" -and -not $Sha256) {
    $size = (Get-Item $file).Length
    $md5 = (Get-FileHash -Algorithm MD5 $file).Hash.ToLower()
    if ($size -ne $PublishedSize -or $md5 -ne $PublishedMd5) {
      Fail "模型文件校验不通过（文件损坏或不是官方发布的版本），未安装。请重新拷贝或下载。 size $size (published $PublishedSize), md5 $md5 (published $PublishedMd5)"
    }
    Write-Host "checksum ok: size $size, md5 $md5"
  } elseif (-not $Sha256) {
    Fail "$name 不是 $ModelName.zip：其他模型请用 -Sha256 给出期望的校验值。"
  }
  $actual = (Get-FileHash -Algorithm SHA256 $file).Hash.ToLower()
  if ($Sha256 -and $actual -ne $Sha256.ToLower()) { Fail "模型文件 SHA-256 与期望值不符，未安装。 sha256 $actual (expected $Sha256)" }
  $cmdArgs = @("models", "install", $file, "--sha256", $actual)
  if ($State) { $cmdArgs += @("--state", $State) }
  & $Kiosk @cmdArgs
  exit $LASTEXITCODE
} finally {
  Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
