<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ApplicantWindow</name>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="167"/>
        <source>工作人员已暂停办理，请稍候</source>
        <translation>The staff have paused the application. Please wait</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="367"/>
        <source>欢迎办理不动产登记</source>
        <translation>Welcome to real-estate registration</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="367"/>
        <source>请稍候，工作人员将为您开始办理</source>
        <translation>Please wait, staff will start your case</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="470"/>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="495"/>
        <source>申请人选择再试一次</source>
        <translation>Applicant chose to try again</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="495"/>
        <source>申请人选择结束办理</source>
        <translation>Applicant chose to end the session</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="507"/>
        <source>请稍候…</source>
        <translation>Please wait…</translation>
    </message>
</context>
<context>
    <name>BusyPage</name>
    <message>
        <location filename="../../ui/kiosk/pages/busy.py" line="21"/>
        <source>正在查询案件，请稍候…</source>
        <translation>Looking up your case, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/busy.py" line="29"/>
        <source>请稍候…</source>
        <translation>Please wait…</translation>
    </message>
</context>
<context>
    <name>CameraView</name>
    <message>
        <location filename="../../ui/widgets/camera_view.py" line="114"/>
        <source>正在打开摄像头…</source>
        <translation>Opening the camera…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_view.py" line="114"/>
        <source>摄像头未启用</source>
        <translation>Camera not in use</translation>
    </message>
</context>
<context>
    <name>CardPage</name>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="109"/>
        <location filename="../../ui/kiosk/pages/card.py" line="143"/>
        <location filename="../../ui/kiosk/pages/card.py" line="194"/>
        <source>请先将身份证放在读卡区</source>
        <translation>Place your ID card on the reader first</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="121"/>
        <source>请这样做：</source>
        <translation>How to do it:</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="122"/>
        <source>1. 取出本人的居民身份证</source>
        <translation>1. Take out your own resident ID card</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="123"/>
        <source>2. 有照片的一面朝上，平放在蓝色读卡区</source>
        <translation>2. Lay it flat on the blue reading area, photo side up</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="124"/>
        <source>3. 放好后不要移动，读卡需要一两秒</source>
        <translation>3. Keep it still; reading takes a second or two</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="132"/>
        <source>取消，返回首页</source>
        <translation>Cancel, back to the start</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="145"/>
        <source>受理号：%1</source>
        <translation>Case number: %1</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="146"/>
        <source>正在等待读取身份证…</source>
        <translation>Waiting for the ID card…</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="180"/>
        <source>%1 秒后自动返回首页</source>
        <translation>Back to the start in %1 s</translation>
    </message>
</context>
<context>
    <name>CaseEntryPage</name>
    <message>
        <location filename="../../ui/kiosk/pages/case_entry.py" line="31"/>
        <location filename="../../ui/kiosk/pages/case_entry.py" line="104"/>
        <source>请输入受理号，或将受理单上的二维码对准摄像头</source>
        <translation>Enter the case number, or hold the QR code of your slip to the camera</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/case_entry.py" line="39"/>
        <source>扫描二维码</source>
        <translation>Scan QR code</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/case_entry.py" line="50"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/case_entry.py" line="61"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/case_entry.py" line="93"/>
        <source>受理号位数不够，请核对受理单</source>
        <translation>The case number is too short, please check your slip</translation>
    </message>
</context>
<context>
    <name>CountdownBanner</name>
    <message>
        <location filename="../../ui/widgets/countdown.py" line="40"/>
        <source>继续办理</source>
        <translation>Continue</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/widgets/countdown.py" line="54"/>
        <source>长时间无操作，%n 秒后将结束办理。如需继续，请点击下方按钮。</source>
        <translation>
            <numerusform>No activity: the session ends in %n second. Touch the button below to continue.</numerusform>
            <numerusform>No activity: the session ends in %n seconds. Touch the button below to continue.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DevicesTab</name>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="60"/>
        <location filename="../../ui/technician/tabs/devices.py" line="155"/>
        <location filename="../../ui/technician/tabs/devices.py" line="159"/>
        <source>摄像头</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="63"/>
        <source>未打开</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="65"/>
        <source>打开预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="66"/>
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="77"/>
        <location filename="../../ui/technician/tabs/devices.py" line="214"/>
        <location filename="../../ui/technician/tabs/devices.py" line="216"/>
        <source>麦克风</source>
        <translation>Microphone</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="80"/>
        <source>未测试</source>
        <translation>Not tested</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="82"/>
        <source>录音3秒</source>
        <translation>Record 3 s</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="83"/>
        <source>回放</source>
        <translation>Play back</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="94"/>
        <location filename="../../ui/technician/tabs/devices.py" line="264"/>
        <location filename="../../ui/technician/tabs/devices.py" line="267"/>
        <source>签字板</source>
        <translation>Signature pad</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="97"/>
        <source>请点击“签字测试”后在签字板上书写</source>
        <translation>Press &quot;Pad test&quot;, then write on the pad</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="99"/>
        <source>签字测试</source>
        <translation>Pad test</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="106"/>
        <location filename="../../ui/technician/tabs/devices.py" line="293"/>
        <location filename="../../ui/technician/tabs/devices.py" line="295"/>
        <source>身份证读卡器</source>
        <translation>ID card reader</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="108"/>
        <source>读卡测试</source>
        <translation>Read card</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="109"/>
        <source>请放上身份证后点击读卡测试</source>
        <translation>Place an ID card, then press Read card</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="162"/>
        <source>显示帧率：</source>
        <translation>Display rate: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="171"/>
        <source>正在录音…</source>
        <translation>Recording…</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="208"/>
        <source>录音 %1 秒，讲话电平 %2 dBFS（下限 %3 dBFS）</source>
        <translation>Recorded %1 s, speech level %2 dBFS (minimum %3 dBFS)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="212"/>
        <source>：声音太小，请检查麦克风</source>
        <translation>: too quiet, please check the microphone</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="239"/>
        <source>请在签字板上书写，写完按确认</source>
        <translation>Write on the pad, then press Confirm</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="261"/>
        <source>%1 个采样点，最大压力 %2</source>
        <translation>%1 samples, peak pressure %2</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="281"/>
        <source>正在读卡…</source>
        <translation>Reading card…</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="290"/>
        <source>读卡成功：%1 %2（%3 毫秒）</source>
        <translation>Card read: %1 %2 (%3 ms)</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="59"/>
        <source>您的签名</source>
        <translation>Your signature</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="61"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="67"/>
        <source>您的签名在第%1页，已用框标出；可翻页查看全文</source>
        <translation>Your signature is on page %1, framed; turn the pages to read it all</translation>
    </message>
</context>
<context>
    <name>EnrolmentTab</name>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="26"/>
        <source>（演示：内置参考平台）</source>
        <translation>(demo: embedded reference platform)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="28"/>
        <source>平台发放的一次性注册码</source>
        <translation>One-time enrolment code from the platform</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="29"/>
        <source>注册本终端</source>
        <translation>Enrol this kiosk</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="33"/>
        <source>平台地址</source>
        <translation>Platform URL</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="34"/>
        <source>注册码</source>
        <translation>Enrolment code</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="40"/>
        <source>请输入注册码</source>
        <translation>Enter the enrolment code</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="50"/>
        <location filename="../../ui/technician/tabs/enrolment.py" line="52"/>
        <source>注册成功，终端证书已保存</source>
        <translation>Enrolled, device certificate saved</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="52"/>
        <location filename="../../ui/technician/tabs/enrolment.py" line="54"/>
        <source>平台注册</source>
        <translation>Enrolment</translation>
    </message>
</context>
<context>
    <name>EscalationPage</name>
    <message>
        <location filename="../../ui/kiosk/pages/escalation.py" line="31"/>
        <location filename="../../ui/kiosk/pages/escalation.py" line="91"/>
        <source>需要工作人员协助</source>
        <translation>Staff assistance needed</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/escalation.py" line="34"/>
        <source>工作人员正在处理，请稍候</source>
        <translation>Staff are handling this, please wait</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/escalation.py" line="37"/>
        <source>再试一次</source>
        <translation>Try again</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/escalation.py" line="39"/>
        <source>工作人员处理</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/escalation.py" line="42"/>
        <source>结束办理</source>
        <translation>End session</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/escalation.py" line="53"/>
        <source>确定要结束本次办理吗？本案件所有申请人都需要重新办理。</source>
        <translation>End this application now? Every applicant of this case will have to start again.</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/escalation.py" line="57"/>
        <source>继续办理</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/escalation.py" line="59"/>
        <source>确定结束</source>
        <translation>Yes, end it</translation>
    </message>
</context>
<context>
    <name>ExportTab</name>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="46"/>
        <source>导出日志（已脱敏，zip）</source>
        <translation>Export logs (masked, zip)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="48"/>
        <source>生成自检报告（PDF）</source>
        <translation>Self-test report (PDF)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="148"/>
        <source>日志已导出：</source>
        <translation>Logs exported: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="162"/>
        <source>平台注册</source>
        <translation>Platform enrolment</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="171"/>
        <source>自检报告已生成：</source>
        <translation>Self-test report: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="161"/>
        <source>中文语音模型</source>
        <translation>Chinese speech model</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="35"/>
        <source>保存到</source>
        <translation>Save to</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="39"/>
        <source>刷新U盘列表</source>
        <translation>Rescan USB drives</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="43"/>
        <source>U盘上只会出现写完整的文件；写入失败时文件留在本机。拔出U盘前请先在系统中“弹出”。</source>
        <translation>Only complete files appear on the USB drive; if writing fails the file stays on this kiosk. Eject the drive in the system before pulling it out.</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="96"/>
        <source>本机数据目录（%1）</source>
        <translation>This kiosk&apos;s data directory (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="105"/>
        <source>未发现U盘；插入U盘后点“刷新U盘列表”</source>
        <translation>No USB drive found; plug one in and press “Rescan USB drives”</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="111"/>
        <source>U盘：%1（%2）</source>
        <translation>USB drive: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="113"/>
        <source>，可用 %1</source>
        <translation>, %1 free</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="115"/>
        <source>，只读</source>
        <translation>, read-only</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="128"/>
        <source>正在写入U盘… %1%</source>
        <translation>Writing to the USB drive… %1%</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="142"/>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="161"/>
        <source>平台连通</source>
        <translation>Platform reachable</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="161"/>
        <source>磁盘空间</source>
        <translation>Disk space</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="162"/>
        <source>上传队列</source>
        <translation>Outbox</translation>
    </message>
</context>
<context>
    <name>IdentityPage</name>
    <message>
        <location filename="../../ui/kiosk/pages/identity.py" line="80"/>
        <location filename="../../ui/kiosk/pages/identity.py" line="137"/>
        <source>身份核验</source>
        <translation>Identity</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/identity.py" line="87"/>
        <location filename="../../ui/kiosk/pages/identity.py" line="138"/>
        <source>请将身份证放在读卡器上</source>
        <translation>Place your ID card on the reader</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/identity.py" line="120"/>
        <source>第%1位已办理完成，请取走身份证。</source>
        <translation>Applicant %1 is done. Please take your ID card.</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/identity.py" line="121"/>
        <source>请第%1位 %2 上前，将身份证放在读卡器上</source>
        <translation>Applicant %1, %2, please come forward and place your ID card on the reader</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/identity.py" line="148"/>
        <source>请将身份证放在读卡器上，然后看着摄像头</source>
        <translation>Place your ID card on the reader, then look at the camera</translation>
    </message>
</context>
<context>
    <name>KioskShell</name>
    <message>
        <location filename="../../ui/kiosk/shell.py" line="53"/>
        <source>不动产登记双录签名终端</source>
        <translation>Real-estate registration kiosk</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/shell.py" line="125"/>
        <source>已识别受理号</source>
        <translation>Case number recognised</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/shell.py" line="149"/>
        <source>正在准备设备，请稍候…</source>
        <translation>Preparing the devices, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/shell.py" line="151"/>
        <source>正在查询案件，请稍候…</source>
        <translation>Looking up your case, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/shell.py" line="173"/>
        <source>长时间无操作，办理已结束</source>
        <translation>No activity: the session has ended</translation>
    </message>
</context>
<context>
    <name>NoticePage</name>
    <message>
        <location filename="../../ui/kiosk/pages/notice.py" line="19"/>
        <location filename="../../ui/kiosk/pages/notice.py" line="30"/>
        <source>告知</source>
        <translation>Notice</translation>
    </message>
</context>
<context>
    <name>NumericKeypad</name>
    <message>
        <location filename="../../ui/widgets/keypad.py" line="38"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/keypad.py" line="38"/>
        <source>退格</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/keypad.py" line="51"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>OutboxItemDialog</name>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="187"/>
        <source>材料包详情</source>
        <translation>Package details</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="195"/>
        <source>材料包编号</source>
        <translation>Package ID</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="196"/>
        <source>受理号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="197"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="198"/>
        <source>尝试次数</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="199"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="200"/>
        <source>入队时间</source>
        <translation>Queued at</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="201"/>
        <source>下次尝试</source>
        <translation>Next attempt</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="202"/>
        <source>大小（字节）</source>
        <translation>Size (bytes)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="203"/>
        <source>清单 SHA-256</source>
        <translation>Manifest SHA-256</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="214"/>
        <source>复制编号</source>
        <translation>Copy ID</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="217"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>OutboxTab</name>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="45"/>
        <source>受理号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="45"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="45"/>
        <source>材料包编号</source>
        <translation>Package ID</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="46"/>
        <source>尝试次数</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="46"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="64"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="66"/>
        <source>复制编号</source>
        <translation>Copy ID</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="68"/>
        <source>详情</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="70"/>
        <source>失败项重新上传</source>
        <translation>Retry failed uploads</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="91"/>
        <source>设备尚未就绪，请稍候再试</source>
        <translation>Devices not ready yet, try again shortly</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="97"/>
        <source>共 %1 项</source>
        <translation>%1 items</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="99"/>
        <source>；隔离区 %1 项（见运维手册“隔离区”）</source>
        <translation>; %1 in quarantine (see the operations manual, &quot;Quarantine&quot;)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="136"/>
        <source>复制材料包编号</source>
        <translation>Copy package ID</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="137"/>
        <source>查看详情</source>
        <translation>Show details</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="145"/>
        <source>已复制：</source>
        <translation>Copied: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="167"/>
        <source>已重新排队 %1 项</source>
        <translation>%1 items queued again</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="175"/>
        <source>待上传</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="176"/>
        <source>上传中</source>
        <translation>Uploading</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="177"/>
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/outbox.py" line="178"/>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
</context>
<context>
    <name>PageCanvas</name>
    <message>
        <location filename="../../ui/widgets/pdf_reader.py" line="133"/>
        <source>正在打开文书…</source>
        <translation>Opening the document…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pdf_reader.py" line="67"/>
        <source>在此签字</source>
        <translation>Sign here</translation>
    </message>
</context>
<context>
    <name>PdfReader</name>
    <message>
        <location filename="../../ui/widgets/pdf_reader.py" line="187"/>
        <source>缩小</source>
        <translation>Smaller</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pdf_reader.py" line="189"/>
        <source>放大</source>
        <translation>Larger</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pdf_reader.py" line="208"/>
        <source>上一页</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pdf_reader.py" line="210"/>
        <source>下一页</source>
        <translation>Next page</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pdf_reader.py" line="345"/>
        <source>第 %1 页 / 共 %2 页</source>
        <translation>Page %1 of %2</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../ui/dialogs.py" line="45"/>
        <source>技术员登录</source>
        <translation>Technician login</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="65"/>
        <source>演示模式：技术员密码为 %1</source>
        <translation>Demo mode: the technician PIN is %1</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="76"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="82"/>
        <source>首次使用：请设置技术员密码（6–12位数字）</source>
        <translation>First use: set the technician PIN (6–12 digits)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="83"/>
        <source>请输入技术员密码</source>
        <translation>Enter the technician PIN</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="107"/>
        <source>请再输入一次新密码</source>
        <translation>Enter the new PIN again</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="111"/>
        <source>两次输入不一致，请重新设置</source>
        <translation>The two entries differ, please set the PIN again</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="133"/>
        <source>密码不正确，还可以再试 %1 次</source>
        <translation>Wrong PIN, %1 tries left</translation>
    </message>
</context>
<context>
    <name>QaPage</name>
    <message>
        <location filename="../../ui/kiosk/pages/qa.py" line="40"/>
        <location filename="../../ui/kiosk/pages/qa.py" line="106"/>
        <source>问答</source>
        <translation>Questions</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/qa.py" line="44"/>
        <source>请大声回答，也可以点下面的“是”或“否”</source>
        <translation>Please answer aloud; you may also tap &quot;Yes&quot; or &quot;No&quot; below</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/qa.py" line="47"/>
        <location filename="../../ui/kiosk/pages/qa.py" line="76"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/qa.py" line="48"/>
        <location filename="../../ui/kiosk/pages/qa.py" line="76"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/qa.py" line="58"/>
        <source>答完了</source>
        <translation>Done answering</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/qa.py" line="76"/>
        <source>您点了：</source>
        <translation>You tapped: </translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/qa.py" line="77"/>
        <source>。请同时大声说出您的回答</source>
        <translation>. Please also say your answer aloud</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/qa.py" line="89"/>
        <source>听到：</source>
        <translation>Heard: </translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <location filename="../../ui/kiosk/pages/result.py" line="36"/>
        <source>扫码查看办理回执</source>
        <translation>Scan for your receipt</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/result.py" line="41"/>
        <source>请保管好受理单，按窗口告知的时间领取办理结果。</source>
        <translation>Please keep your receipt and collect the result at the time the counter told you.</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/result.py" line="43"/>
        <location filename="../../ui/kiosk/pages/result.py" line="97"/>
        <source>请取走身份证</source>
        <translation>Please take your ID card</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/result.py" line="51"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/result.py" line="67"/>
        <source>%1 秒后回到首页</source>
        <translation>Back to the start in %1 s</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/result.py" line="73"/>
        <source>受理号：</source>
        <translation>Case number: </translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="82"/>
        <source>请核对办理内容</source>
        <translation>Please check what you did</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="99"/>
        <source>案件信息</source>
        <translation>The case</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="107"/>
        <location filename="../../ui/kiosk/pages/review.py" line="174"/>
        <source>不动产单元号</source>
        <translation>Real estate unit number</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="110"/>
        <source>受理号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="110"/>
        <source>业务类型</source>
        <translation>Business type</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="111"/>
        <source>不动产坐落</source>
        <translation>Property location</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="111"/>
        <source>申请人</source>
        <translation>Applicants</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="124"/>
        <source>您签署的文书（点击查看）：</source>
        <translation>Documents you signed (tap to view):</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="150"/>
        <source>%1，您本次办理了：</source>
        <translation>%1, today you:</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="151"/>
        <source>核验了身份证和本人相貌</source>
        <translation>had your ID card and face checked</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="151"/>
        <source>阅读了告知事项</source>
        <translation>read the notice</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="152"/>
        <source>朗读了声明</source>
        <translation>read the statement aloud</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="152"/>
        <source>回答了问题</source>
        <translation>answered the questions</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="153"/>
        <source>在文书上签了名</source>
        <translation>signed the documents</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="161"/>
        <source>（工作人员 %1 现场确认）</source>
        <translation> (confirmed in person by staff %1)</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="163"/>
        <source>（未通过）</source>
        <translation> (not passed)</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="175"/>
        <source>权属证明号</source>
        <translation>Title certificate number</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="181"/>
        <source>（经办人 %1）</source>
        <translation> (agent %1)</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="183"/>
        <source>（您本人）</source>
        <translation> (you)</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="190"/>
        <source>查看《%1》</source>
        <translation>Open &quot;%1&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="210"/>
        <source>未签名：签字环节未完成</source>
        <translation>Not signed: the signing step was not completed</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="212"/>
        <source>部分签名：还有签字位置未签</source>
        <translation>Partly signed: some signature places are not signed</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="213"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="213"/>
        <source>第%1页</source>
        <translation>page %1</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="214"/>
        <source>已签名（%1）</source>
        <translation>Signed (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="215"/>
        <source>，单位印章在提交时加盖</source>
        <translation>; the company seal is applied on submission</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="243"/>
        <source>请核对办理内容，确认无误后点击确认提交</source>
        <translation>Please check what you did, then tap Confirm and submit</translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="76"/>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="78"/>
        <source>摄像头（auto、sim、序号或路径）</source>
        <translation>Camera (auto, sim, index or path)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="78"/>
        <source>采集宽度（像素）</source>
        <translation>Capture width (pixels)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="79"/>
        <source>采集高度（像素）</source>
        <translation>Capture height (pixels)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="79"/>
        <source>采集帧率</source>
        <translation>Capture frame rate</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="80"/>
        <source>麦克风（auto、sim 或设备名）</source>
        <translation>Microphone (auto, sim or device name)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="81"/>
        <source>身份证读卡器（驱动，或 serial:端口）</source>
        <translation>ID card reader (driver, or serial:port)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="81"/>
        <source>签字板（驱动）</source>
        <translation>Signature pad (driver)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="103"/>
        <source>中心平台</source>
        <translation>Central platform</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="106"/>
        <source>如 https://bdc.example.gov.cn/kiosk-api；空表示离线/演示</source>
        <translation>e.g. https://bdc.example.gov.cn/kiosk-api; empty means offline/demo</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="108"/>
        <source>空表示使用系统CA</source>
        <translation>Empty means the system CAs</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="112"/>
        <source>测试连接</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="112"/>
        <source>平台地址</source>
        <translation>Platform address</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="113"/>
        <source>平台证书的CA文件（PEM）</source>
        <translation>CA file for the platform certificate (PEM)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="116"/>
        <source>中文语音模型</source>
        <translation>Chinese speech model</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="120"/>
        <source>空表示默认位置：</source>
        <translation>Empty means the default place: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="123"/>
        <source>检查模型</source>
        <translation>Check model</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="123"/>
        <source>Vosk 模型目录</source>
        <translation>Vosk model folder</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="126"/>
        <source>设备、平台地址和语音模型在程序启动时打开：保存后，重启终端程序才生效。</source>
        <translation>Devices, the platform address and the speech model are opened when the program starts: after saving, restart the kiosk program for the changes to take effect.</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="130"/>
        <source>保存（重启后生效）</source>
        <translation>Save (takes effect after a restart)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="193"/>
        <source>未保存，请改正：</source>
        <translation>Not saved; please correct:</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="211"/>
        <source>已保存到 %1。重启终端程序后生效。</source>
        <translation>Saved to %1. Takes effect when the kiosk program is restarted.</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="225"/>
        <source>未填写平台地址：终端以离线/演示方式运行</source>
        <translation>No platform address: the kiosk runs offline/demo</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="231"/>
        <source>平台设置有误，请先保存查看具体原因</source>
        <translation>The platform settings are wrong; press Save to see why</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="235"/>
        <source>正在连接…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="239"/>
        <source>连接成功：</source>
        <translation>Connected: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="244"/>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="247"/>
        <source>目录里有 am/、conf/、graph/，是 Vosk 模型的结构：</source>
        <translation>The folder has am/, conf/ and graph/, the layout of a Vosk model: </translation>
    </message>
</context>
<context>
    <name>SignatureCanvas</name>
    <message>
        <location filename="../../ui/widgets/signature_canvas.py" line="252"/>
        <source>请在框内签写您的姓名</source>
        <translation>Sign your name inside the box</translation>
    </message>
</context>
<context>
    <name>SignaturePanel</name>
    <message>
        <location filename="../../ui/widgets/signature_canvas.py" line="268"/>
        <source>清除重写</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signature_canvas.py" line="269"/>
        <source>撤销一笔</source>
        <translation>Undo stroke</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signature_canvas.py" line="270"/>
        <source>确认签名</source>
        <translation>Confirm signature</translation>
    </message>
</context>
<context>
    <name>SigningPage</name>
    <message>
        <location filename="../../ui/kiosk/pages/signing.py" line="34"/>
        <location filename="../../ui/kiosk/pages/signing.py" line="135"/>
        <source>阅读并签字</source>
        <translation>Read and sign</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/signing.py" line="47"/>
        <source>我已阅读，开始签名</source>
        <translation>I have read it, sign now</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/signing.py" line="51"/>
        <source>重签</source>
        <translation>Sign again</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/signing.py" line="53"/>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/signing.py" line="95"/>
        <location filename="../../ui/kiosk/pages/signing.py" line="121"/>
        <source>您已看完全部页面。请点击“我已阅读，开始签名”</source>
        <translation>You have seen every page. Please tap &quot;I have read it, sign now&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/signing.py" line="119"/>
        <source>请翻阅文书的每一页（共 %1 页），可点“放大”看清文字。读完后即可签名。</source>
        <translation>Please read every page (%1 in all); tap &quot;Larger&quot; to enlarge the text. You can sign after the last page.</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/signing.py" line="123"/>
        <source>请用签字笔在签字板上签写您的姓名，写完点击“确认”；写错了点击“重签”</source>
        <translation>Please sign your name on the pad with the pen, then tap &quot;Confirm&quot;; tap &quot;Sign again&quot; to start over</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/signing.py" line="139"/>
        <source>请阅读文书的每一页，然后在签字板上签名</source>
        <translation>Please read every page of the document, then sign on the pad</translation>
    </message>
</context>
<context>
    <name>SpeakingBar</name>
    <message>
        <location filename="../../ui/widgets/speaking_bar.py" line="37"/>
        <source>还剩 %1 秒</source>
        <translation>%1 s left</translation>
    </message>
</context>
<context>
    <name>StaffDecisionDialog</name>
    <message>
        <location filename="../../ui/dialogs.py" line="149"/>
        <source>工作人员现场核验身份无误</source>
        <translation>Staff verified the identity in person</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="150"/>
        <source>工作人员现场核听朗读/回答无误</source>
        <translation>Staff heard the statement/answers in person</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="151"/>
        <source>设备故障，人工核验</source>
        <translation>Device fault, checked by staff</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="152"/>
        <source>申请人要求终止办理</source>
        <translation>Applicant asked to stop</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="153"/>
        <source>申请人身份存疑</source>
        <translation>Identity in doubt</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="161"/>
        <source>工作人员处理</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="171"/>
        <source>工号</source>
        <translation>Staff no.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="174"/>
        <source>密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="186"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="199"/>
        <source>原因：</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="212"/>
        <source>重新进行本步</source>
        <translation>Repeat this step</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="212"/>
        <source>人工通过</source>
        <translation>Pass by staff</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="213"/>
        <source>人工不通过</source>
        <translation>Fail by staff</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="213"/>
        <source>结束办理</source>
        <translation>End session</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="224"/>
        <source>重问本题</source>
        <translation>Ask this question again</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="234"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="267"/>
        <source>工作人员 %1 已登录（本案件办理期间有效）</source>
        <translation>Staff %1 logged in (for this case)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="272"/>
        <source>请先选择原因</source>
        <translation>Choose a reason first</translation>
    </message>
</context>
<context>
    <name>StaffWindow</name>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="60"/>
        <source>柜台双录 — 工作人员</source>
        <translation>Counter recording — staff</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="63"/>
        <source>客户屏</source>
        <translation>Customer screen</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="78"/>
        <source>工作人员登录</source>
        <translation>Staff login</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="81"/>
        <source>工号</source>
        <translation>Staff no.</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="83"/>
        <source>密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="85"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="90"/>
        <location filename="../../ui/counter/staff_window.py" line="263"/>
        <source>未登录</source>
        <translation>Not logged in</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="91"/>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="109"/>
        <source>演示账号：工号 0001，密码 246810</source>
        <translation>Demo account: staff no. 0001, PIN 246810</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="114"/>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="118"/>
        <source>受理号，如 LH2026-000123</source>
        <translation>Case number, e.g. LH2026-000123</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="120"/>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="129"/>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="129"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="129"/>
        <location filename="../../ui/counter/staff_window.py" line="415"/>
        <source>身份核验</source>
        <translation>Identity</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="129"/>
        <location filename="../../ui/counter/staff_window.py" line="415"/>
        <source>告知</source>
        <translation>Notice</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="130"/>
        <location filename="../../ui/counter/staff_window.py" line="415"/>
        <source>陈述</source>
        <translation>Statement</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="130"/>
        <location filename="../../ui/counter/staff_window.py" line="416"/>
        <source>问答</source>
        <translation>Questions</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="130"/>
        <location filename="../../ui/counter/staff_window.py" line="416"/>
        <source>签字</source>
        <translation>Signing</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="134"/>
        <source>开始办理</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="140"/>
        <source>处理</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="142"/>
        <location filename="../../ui/counter/staff_window.py" line="460"/>
        <source>无待处理事项</source>
        <translation>Nothing to decide</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="150"/>
        <source>工作人员现场核验身份无误</source>
        <translation>Staff verified the identity in person</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="150"/>
        <source>工作人员现场核听朗读/回答无误</source>
        <translation>Staff heard the statement/answers in person</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="151"/>
        <source>设备故障，人工核验</source>
        <translation>Device fault, checked by staff</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="151"/>
        <source>申请人要求终止办理</source>
        <translation>Applicant asked to stop</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="151"/>
        <source>申请人身份存疑</source>
        <translation>Identity in doubt</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="156"/>
        <source>原因（人工操作必填）</source>
        <translation>Reason (required for manual actions)</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="159"/>
        <source>重试本步</source>
        <translation>Retry step</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="160"/>
        <location filename="../../ui/counter/staff_window.py" line="413"/>
        <location filename="../../ui/counter/staff_window.py" line="441"/>
        <source>人工通过</source>
        <translation>Pass by staff</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="161"/>
        <location filename="../../ui/counter/staff_window.py" line="414"/>
        <location filename="../../ui/counter/staff_window.py" line="441"/>
        <source>人工不通过</source>
        <translation>Fail by staff</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="170"/>
        <location filename="../../ui/counter/staff_window.py" line="343"/>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="173"/>
        <location filename="../../ui/counter/staff_window.py" line="352"/>
        <source>终止办理</source>
        <translation>Abort session</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="176"/>
        <source>完成并清屏</source>
        <translation>Finish and clear</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="194"/>
        <source>实时语音识别</source>
        <translation>Live speech recognition</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/counter/staff_window.py" line="249"/>
        <source>待上传证据包：%n 个（网络恢复后自动上传）</source>
        <translation>
            <numerusform>%n evidence package waiting to upload (uploads when the network is back)</numerusform>
            <numerusform>%n evidence packages waiting to upload (upload when the network is back)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="250"/>
        <source>证据包已全部上传</source>
        <translation>All evidence packages uploaded</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/counter/staff_window.py" line="253"/>
        <source>；%n 个待技术人员处理</source>
        <translation>
            <numerusform>; %n for the technician</numerusform>
            <numerusform>; %n for the technician</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="272"/>
        <source>设备尚未就绪，请稍候再试</source>
        <translation>Devices not ready yet, try again shortly</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="278"/>
        <source>已登录：</source>
        <translation>Logged in: </translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="302"/>
        <source>（经办人）</source>
        <translation> (agent)</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="324"/>
        <source>人工判定必须填写原因</source>
        <translation>A manual decision needs a reason</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="328"/>
        <location filename="../../ui/counter/staff_window.py" line="409"/>
        <source>工作人员要求重试</source>
        <translation>Staff asked for a retry</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="340"/>
        <source>继续</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="350"/>
        <source>终止办理必须填写原因</source>
        <translation>Aborting needs a reason</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="353"/>
        <source>确定终止本案件的办理吗？所有申请人都需要重新办理。</source>
        <translation>End this case now? Every applicant will have to start again.</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="406"/>
        <source>案件已载入</source>
        <translation>case loaded</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="406"/>
        <source>开始</source>
        <translation>started</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="407"/>
        <source>结果</source>
        <translation>result</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="407"/>
        <source>未通过，重试</source>
        <translation>not passed, trying again</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="408"/>
        <source>无需办理</source>
        <translation>not needed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="408"/>
        <source>需要工作人员处理</source>
        <translation>needs staff</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="409"/>
        <source>已暂停</source>
        <translation>paused</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="410"/>
        <source>已继续</source>
        <translation>resumed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="410"/>
        <source>待客户确认</source>
        <translation>waiting for the customer&apos;s review</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="411"/>
        <source>客户已确认</source>
        <translation>customer confirmed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="411"/>
        <source>办理完成</source>
        <translation>completed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="412"/>
        <source>办理终止</source>
        <translation>ended</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="412"/>
        <source>客户点选答案</source>
        <translation>customer tapped an answer</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="413"/>
        <location filename="../../ui/counter/staff_window.py" line="441"/>
        <source>通过</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="414"/>
        <location filename="../../ui/counter/staff_window.py" line="442"/>
        <source>未通过</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="427"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="427"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="429"/>
        <source>工号 %1</source>
        <translation>staff %1</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="442"/>
        <source>无需</source>
        <translation>Not needed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="442"/>
        <source>进行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="453"/>
        <source>需要处理：</source>
        <translation>Needs a decision: </translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="465"/>
        <source>客户长时间无操作，%1 秒后结束</source>
        <translation>Customer inactive, session ends in %1 s</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="479"/>
        <location filename="../../ui/counter/staff_window.py" line="486"/>
        <source>办理已结束</source>
        <translation>The case has ended</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="482"/>
        <source>办理完成，材料已等待上传（网络恢复后自动上传）</source>
        <translation>Completed; the evidence is queued and will upload when the network is back</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="483"/>
        <source>办理完成，材料已上传</source>
        <translation>Completed; the evidence is uploaded</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="485"/>
        <source>办理已终止，已采集的材料已保存</source>
        <translation>Ended; the evidence collected so far is saved</translation>
    </message>
</context>
<context>
    <name>StatementPage</name>
    <message>
        <location filename="../../ui/kiosk/pages/statement.py" line="41"/>
        <location filename="../../ui/kiosk/pages/statement.py" line="94"/>
        <source>请大声朗读下面的文字</source>
        <translation>Please read the text below aloud</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/statement.py" line="44"/>
        <source>● 录音录像中</source>
        <translation>● Recording</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/statement.py" line="53"/>
        <source>读完了</source>
        <translation>Done reading</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/statement.py" line="68"/>
        <source>听到：</source>
        <translation>Heard: </translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/statement.py" line="97"/>
        <source>请大声朗读屏幕上的文字</source>
        <translation>Please read the text on the screen aloud</translation>
    </message>
</context>
<context>
    <name>StepBar</name>
    <message>
        <location filename="../../ui/widgets/step_bar.py" line="23"/>
        <source>身份核验</source>
        <translation>Identity</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/step_bar.py" line="23"/>
        <source>告知</source>
        <translation>Notice</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/step_bar.py" line="23"/>
        <source>陈述</source>
        <translation>Statement</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/step_bar.py" line="24"/>
        <source>问答</source>
        <translation>Questions</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/step_bar.py" line="24"/>
        <source>签字</source>
        <translation>Signing</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/step_bar.py" line="24"/>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/step_bar.py" line="24"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/step_bar.py" line="86"/>
        <source>当前办理人：</source>
        <translation>Now serving: </translation>
    </message>
</context>
<context>
    <name>TechnicianConsole</name>
    <message>
        <location filename="../../ui/technician/console.py" line="30"/>
        <location filename="../../ui/technician/console.py" line="35"/>
        <source>技术员维护台</source>
        <translation>Technician console</translation>
    </message>
    <message>
        <location filename="../../ui/technician/console.py" line="40"/>
        <source>关闭维护台</source>
        <translation>Close console</translation>
    </message>
    <message>
        <location filename="../../ui/technician/console.py" line="45"/>
        <source>退出终端程序</source>
        <translation>Exit the kiosk program</translation>
    </message>
    <message>
        <location filename="../../ui/technician/console.py" line="58"/>
        <source>设备测试</source>
        <translation>Device tests</translation>
    </message>
    <message>
        <location filename="../../ui/technician/console.py" line="59"/>
        <source>设备与平台</source>
        <translation>Devices and platform</translation>
    </message>
    <message>
        <location filename="../../ui/technician/console.py" line="60"/>
        <source>阈值与策略</source>
        <translation>Thresholds and policy</translation>
    </message>
    <message>
        <location filename="../../ui/technician/console.py" line="61"/>
        <source>平台注册</source>
        <translation>Enrolment</translation>
    </message>
    <message>
        <location filename="../../ui/technician/console.py" line="62"/>
        <source>上传队列</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <location filename="../../ui/technician/console.py" line="63"/>
        <source>日志与自检</source>
        <translation>Logs and self-test</translation>
    </message>
</context>
<context>
    <name>TechnicianGate</name>
    <message>
        <location filename="../../ui/technician/gate.py" line="17"/>
        <source>技术员维护</source>
        <translation>Technician</translation>
    </message>
</context>
<context>
    <name>ThresholdsTab</name>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="37"/>
        <source>人脸比对阈值（openvino，余弦相似度，越大越严格）</source>
        <translation>Face match threshold (openvino, cosine similarity; higher is stricter)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="38"/>
        <source>人脸比对阈值（dlib，距离，越小越严格）</source>
        <translation>Face match threshold (dlib, distance; lower is stricter)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="39"/>
        <source>判定所用合格帧数</source>
        <translation>Good frames needed for a decision</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="40"/>
        <source>每个活体动作的时限（秒）</source>
        <translation>Time limit per liveness action (s)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="41"/>
        <source>录像期间本人在场的最低比例</source>
        <translation>Minimum share of the recording with the person present</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="42"/>
        <source>陈述核对通过的最低覆盖率</source>
        <translation>Minimum coverage for the read-aloud check to pass</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="43"/>
        <source>无操作超时（秒），倒计时后结束会话</source>
        <translation>Idle timeout (s); the session ends after a countdown</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="44"/>
        <source>超时前倒计时（秒）</source>
        <translation>Countdown before the timeout (s)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="45"/>
        <source>正文字号（磅）</source>
        <translation>Body text size (pt)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="46"/>
        <source>柜台模式客户屏的屏幕序号</source>
        <translation>Screen number of the customer screen at a counter</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="74"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="75"/>
        <source>保存（重启后生效）</source>
        <translation>Save (applies after restart)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="90"/>
        <source>未保存，请改正：</source>
        <translation>Not saved; please correct:</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="93"/>
        <source>保存失败：</source>
        <translation>Saving failed: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="97"/>
        <source>已保存到 </source>
        <translation>Saved to </translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../../ui/kiosk/pages/welcome.py" line="29"/>
        <source>不动产登记 双录签名</source>
        <translation>Real-estate registration — recorded signing</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/welcome.py" line="30"/>
        <source>身份核验 · 告知 · 陈述 · 问答 · 签字，全程录音录像</source>
        <translation>Identity · notice · statement · questions · signing, all recorded</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/welcome.py" line="32"/>
        <source>请触摸这里开始办理</source>
        <translation>Touch here to start</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/welcome.py" line="62"/>
        <source>您好，请触摸屏幕开始办理</source>
        <translation>Hello, touch the screen to start</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../ui/app.py" line="81"/>
        <source>系统出现故障，请联系窗口工作人员。故障已记录。</source>
        <translation>Something went wrong. Please ask the staff at the counter. The fault was logged.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="85"/>
        <source>出错了</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>session</name>
    <message>
        <location filename="../../ui/session_texts.py" line="12"/>
        <source>正在获取案件信息</source>
        <translation>Fetching your case</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="13"/>
        <source>身份核验</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="14"/>
        <source>请将身份证放在读卡区</source>
        <translation>Place your ID card on the reader</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="15"/>
        <source>人脸核验</source>
        <translation>Face check</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="16"/>
        <source>请正视摄像头</source>
        <translation>Look straight at the camera</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="17"/>
        <source>身份核验通过</source>
        <translation>Identity confirmed</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="18"/>
        <source>告知事项</source>
        <translation>Notice</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="19"/>
        <source>请仔细阅读告知内容，阅读完毕请点击「我已阅读并知晓」</source>
        <translation>Please read the notice, then touch &quot;I have read and understood&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="20"/>
        <source>我已阅读并知晓</source>
        <translation>I have read and understood</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="21"/>
        <source>请朗读以下内容</source>
        <translation>Please read the following aloud</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="22"/>
        <source>请大声朗读屏幕上的文字</source>
        <translation>Please read the text on the screen aloud</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="23"/>
        <source>请再朗读一次标出的句子</source>
        <translation>Please read the marked sentences again</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="24"/>
        <source>请回答</source>
        <translation>Please answer</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="25"/>
        <source>请用签字笔在签字板上签写您的姓名，写完点击确认</source>
        <translation>Sign your name on the pad with the pen, then touch Confirm</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="26"/>
        <source>请核对办理结果</source>
        <translation>Please check the result</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="27"/>
        <source>确认提交</source>
        <translation>Confirm and submit</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="28"/>
        <source>正在生成并提交材料</source>
        <translation>Sealing and submitting the evidence</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="29"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="30"/>
        <source>办理完成，材料已提交。请取走身份证。</source>
        <translation>Done, the evidence was submitted. Please take your ID card.</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="31"/>
        <source>已保存，网络恢复后自动上传。请取走身份证。</source>
        <translation>Saved; it uploads when the network is back. Please take your ID card.</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="32"/>
        <source>本次办理已结束，已采集的材料已安全保存。请取走身份证。</source>
        <translation>The session has ended; what was captured is stored safely. Please take your ID card.</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="33"/>
        <source>本次办理已结束。请取走身份证。</source>
        <translation>The session has ended. Please take your ID card.</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="34"/>
        <source>请眨眨眼</source>
        <translation>Please blink</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="35"/>
        <source>请点点头</source>
        <translation>Please nod</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="36"/>
        <source>请向左转头</source>
        <translation>Please turn your head left</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="37"/>
        <source>请向右转头</source>
        <translation>Please turn your head right</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="38"/>
        <source>请张张嘴</source>
        <translation>Please open your mouth</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="39"/>
        <source>未能确认您的回答，请再回答一次</source>
        <translation>Your answer was not understood, please answer again</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="40"/>
        <source>朗读内容未能完整识别，请再读一次标出的句子</source>
        <translation>Not everything was recognised, please read the marked sentences again</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="41"/>
        <source>请向左转头，再转回来</source>
        <translation>Turn your head left, then back</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="42"/>
        <source>请向右转头，再转回来</source>
        <translation>Turn your head right, then back</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="43"/>
        <source>请先将身份证放在读卡区</source>
        <translation>Place your ID card on the reader first</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="44"/>
        <source>已读取身份证，正在查询案件，请稍候</source>
        <translation>ID card read; looking up the case, please wait</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="45"/>
        <source>未能读取身份证，请取下身份证，正面朝上平放在读卡区，不要移动</source>
        <translation>The ID card could not be read. Take it off and lay it flat on the reader, front side up, and keep it still</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="46"/>
        <source>没有读到身份证，办理尚未开始。如需办理，请重新输入受理号</source>
        <translation>No ID card was read and nothing has started. To continue, enter the case number again</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="52"/>
        <source>本机不能自动核对语音，请稍候，工作人员会现场核听您的回答</source>
        <translation>This kiosk cannot check speech by itself. Please wait: a member of staff will listen to your answers here</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="54"/>
        <source>本机不能自动核对语音，请稍候，工作人员会现场核听您的朗读</source>
        <translation>This kiosk cannot check speech by itself. Please wait: a member of staff will listen to your reading here</translation>
    </message>
</context>
<context>
    <name>workers</name>
    <message>
        <location filename="../../ui/workers.py" line="140"/>
        <source>系统出现故障，请联系窗口工作人员。</source>
        <translation>Something went wrong. Please ask the staff at the counter.</translation>
    </message>
</context>
</TS>
