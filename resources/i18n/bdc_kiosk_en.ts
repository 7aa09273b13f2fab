<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ApplicantWindow</name>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="169"/>
        <location filename="../../ui/kiosk/applicant_window.py" line="255"/>
        <source>工作人员已暂停办理，请稍候</source>
        <translation>The staff have paused the application. Please wait</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="385"/>
        <source>欢迎办理不动产登记</source>
        <translation>Welcome to real-estate registration</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="385"/>
        <source>请稍候，工作人员将为您开始办理</source>
        <translation>Please wait, staff will start your case</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="488"/>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="513"/>
        <source>申请人选择再试一次</source>
        <translation>Applicant chose to try again</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="513"/>
        <source>申请人选择结束办理</source>
        <translation>Applicant chose to end the session</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/applicant_window.py" line="525"/>
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
        <location filename="../../ui/kiosk/pages/card.py" line="110"/>
        <location filename="../../ui/kiosk/pages/card.py" line="144"/>
        <location filename="../../ui/kiosk/pages/card.py" line="195"/>
        <source>请先将身份证放在读卡区</source>
        <translation>Place your ID card on the reader first</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="122"/>
        <source>请这样做：</source>
        <translation>How to do it:</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="123"/>
        <source>1. 取出本人的居民身份证</source>
        <translation>1. Take out your own resident ID card</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="124"/>
        <source>2. 有照片的一面朝上，平放在蓝色读卡区</source>
        <translation>2. Lay it flat on the blue reading area, photo side up</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="125"/>
        <source>3. 放好后不要移动，读卡需要一两秒</source>
        <translation>3. Keep it still; reading takes a second or two</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="133"/>
        <source>取消，返回首页</source>
        <translation>Cancel, back to the start</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="146"/>
        <source>受理号：%1</source>
        <translation>Case number: %1</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="147"/>
        <source>正在等待读取身份证…</source>
        <translation>Waiting for the ID card…</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/card.py" line="181"/>
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
        <location filename="../../ui/widgets/countdown.py" line="53"/>
        <source>继续办理</source>
        <translation>Continue</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/widgets/countdown.py" line="59"/>
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
        <location filename="../../ui/technician/tabs/devices.py" line="61"/>
        <location filename="../../ui/technician/tabs/devices.py" line="156"/>
        <location filename="../../ui/technician/tabs/devices.py" line="160"/>
        <source>摄像头</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="64"/>
        <source>未打开</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="66"/>
        <source>打开预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="67"/>
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="78"/>
        <location filename="../../ui/technician/tabs/devices.py" line="215"/>
        <location filename="../../ui/technician/tabs/devices.py" line="217"/>
        <source>麦克风</source>
        <translation>Microphone</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="81"/>
        <source>未测试</source>
        <translation>Not tested</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="83"/>
        <source>录音3秒</source>
        <translation>Record 3 s</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="84"/>
        <source>回放</source>
        <translation>Play back</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="95"/>
        <location filename="../../ui/technician/tabs/devices.py" line="265"/>
        <location filename="../../ui/technician/tabs/devices.py" line="268"/>
        <source>签字板</source>
        <translation>Signature pad</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="98"/>
        <source>请点击“签字测试”后在签字板上书写</source>
        <translation>Press &quot;Pad test&quot;, then write on the pad</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="100"/>
        <source>签字测试</source>
        <translation>Pad test</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="107"/>
        <location filename="../../ui/technician/tabs/devices.py" line="294"/>
        <location filename="../../ui/technician/tabs/devices.py" line="296"/>
        <source>身份证读卡器</source>
        <translation>ID card reader</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="109"/>
        <source>读卡测试</source>
        <translation>Read card</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="110"/>
        <source>请放上身份证后点击读卡测试</source>
        <translation>Place an ID card, then press Read card</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="163"/>
        <source>显示帧率：</source>
        <translation>Display rate: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="172"/>
        <source>正在录音…</source>
        <translation>Recording…</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="209"/>
        <source>录音 %1 秒，讲话电平 %2 dBFS（下限 %3 dBFS）</source>
        <translation>Recorded %1 s, speech level %2 dBFS (minimum %3 dBFS)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="213"/>
        <source>：声音太小，请检查麦克风</source>
        <translation>: too quiet, please check the microphone</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="240"/>
        <source>请在签字板上书写，写完按确认</source>
        <translation>Write on the pad, then press Confirm</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="262"/>
        <source>%1 个采样点，最大压力 %2</source>
        <translation>%1 samples, peak pressure %2</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="282"/>
        <source>正在读卡…</source>
        <translation>Reading card…</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/devices.py" line="291"/>
        <source>读卡成功：%1 %2（%3 毫秒）</source>
        <translation>Card read: %1 %2 (%3 ms)</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="61"/>
        <source>您的签名</source>
        <translation>Your signature</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="63"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="69"/>
        <source>您的签名在第%1页，已用框标出；可翻页查看全文</source>
        <translation>Your signature is on page %1, framed; turn the pages to read it all</translation>
    </message>
</context>
<context>
    <name>EnrolmentTab</name>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="27"/>
        <source>（演示：内置参考平台）</source>
        <translation>(demo: embedded reference platform)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="29"/>
        <source>平台发放的一次性注册码</source>
        <translation>One-time enrolment code from the platform</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="30"/>
        <source>注册本终端</source>
        <translation>Enrol this kiosk</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="34"/>
        <source>平台地址</source>
        <translation>Platform URL</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="35"/>
        <source>注册码</source>
        <translation>Enrolment code</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="41"/>
        <source>请输入注册码</source>
        <translation>Enter the enrolment code</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="51"/>
        <location filename="../../ui/technician/tabs/enrolment.py" line="53"/>
        <source>注册成功，终端证书已保存</source>
        <translation>Enrolled, device certificate saved</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/enrolment.py" line="53"/>
        <location filename="../../ui/technician/tabs/enrolment.py" line="55"/>
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
        <location filename="../../ui/technician/tabs/export.py" line="47"/>
        <source>导出日志（已脱敏，zip）</source>
        <translation>Export logs (masked, zip)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="49"/>
        <source>生成自检报告（PDF）</source>
        <translation>Self-test report (PDF)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="149"/>
        <source>日志已导出：</source>
        <translation>Logs exported: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="164"/>
        <source>平台注册</source>
        <translation>Platform enrolment</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="173"/>
        <source>自检报告已生成：</source>
        <translation>Self-test report: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="163"/>
        <source>中文语音模型</source>
        <translation>Chinese speech model</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="36"/>
        <source>保存到</source>
        <translation>Save to</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="40"/>
        <source>刷新U盘列表</source>
        <translation>Rescan USB drives</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="44"/>
        <source>U盘上只会出现写完整的文件；写入失败时文件留在本机。拔出U盘前请先在系统中“弹出”。</source>
        <translation>Only complete files appear on the USB drive; if writing fails the file stays on this kiosk. Eject the drive in the system before pulling it out.</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="97"/>
        <source>本机数据目录（%1）</source>
        <translation>This kiosk&apos;s data directory (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="106"/>
        <source>未发现U盘；插入U盘后点“刷新U盘列表”</source>
        <translation>No USB drive found; plug one in and press “Rescan USB drives”</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="112"/>
        <source>U盘：%1（%2）</source>
        <translation>USB drive: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="114"/>
        <source>，可用 %1</source>
        <translation>, %1 free</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="116"/>
        <source>，只读</source>
        <translation>, read-only</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="129"/>
        <source>正在写入U盘… %1%</source>
        <translation>Writing to the USB drive… %1%</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="143"/>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="163"/>
        <source>平台连通</source>
        <translation>Platform reachable</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="163"/>
        <source>磁盘空间</source>
        <translation>Disk space</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="164"/>
        <source>上传队列</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="177"/>
        <source>设备尚未就绪</source>
        <translation>Devices not ready yet</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="178"/>
        <source>已加载</source>
        <translation>Loaded</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="179"/>
        <source>未安装</source>
        <translation>Not installed</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="180"/>
        <source>已注册，终端凭据已保存</source>
        <translation>Registered; the terminal credential is saved</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="181"/>
        <source>未注册：在“平台注册”页输入平台发放的注册码</source>
        <translation>Not registered: enter the enrolment code from the platform on the &quot;Enrolment&quot; tab</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="182"/>
        <source>%1 MB 可用（下限 %2 MB）</source>
        <translation>%1 MB free (minimum %2 MB)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="183"/>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/export.py" line="184"/>
        <source>空</source>
        <translation>empty</translation>
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
        <location filename="../../ui/kiosk/shell.py" line="56"/>
        <location filename="../../ui/kiosk/shell.py" line="171"/>
        <source>不动产登记双录签名终端</source>
        <translation>Real-estate registration kiosk</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/shell.py" line="128"/>
        <source>已识别受理号</source>
        <translation>Case number recognised</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/shell.py" line="152"/>
        <source>正在准备设备，请稍候…</source>
        <translation>Preparing the devices, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/shell.py" line="154"/>
        <source>正在查询案件，请稍候…</source>
        <translation>Looking up your case, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/shell.py" line="189"/>
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
        <location filename="../../ui/kiosk/pages/review.py" line="84"/>
        <source>请核对办理内容</source>
        <translation>Please check what you did</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="101"/>
        <source>案件信息</source>
        <translation>The case</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="109"/>
        <location filename="../../ui/kiosk/pages/review.py" line="178"/>
        <source>不动产单元号</source>
        <translation>Real estate unit number</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="112"/>
        <source>受理号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="112"/>
        <source>业务类型</source>
        <translation>Business type</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="113"/>
        <source>不动产坐落</source>
        <translation>Property location</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="113"/>
        <source>申请人</source>
        <translation>Applicants</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="126"/>
        <source>您签署的文书（点击查看）：</source>
        <translation>Documents you signed (tap to view):</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="154"/>
        <source>%1，您本次办理了：</source>
        <translation>%1, today you:</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="155"/>
        <source>核验了身份证和本人相貌</source>
        <translation>had your ID card and face checked</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="155"/>
        <source>阅读了告知事项</source>
        <translation>read the notice</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="156"/>
        <source>朗读了声明</source>
        <translation>read the statement aloud</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="156"/>
        <source>回答了问题</source>
        <translation>answered the questions</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="157"/>
        <source>在文书上签了名</source>
        <translation>signed the documents</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="165"/>
        <source>（工作人员 %1 现场确认）</source>
        <translation> (confirmed in person by staff %1)</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="167"/>
        <source>（未通过）</source>
        <translation> (not passed)</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="179"/>
        <source>权属证明号</source>
        <translation>Title certificate number</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="183"/>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="185"/>
        <source>（经办人 %1）</source>
        <translation> (agent %1)</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="187"/>
        <source>（您本人）</source>
        <translation> (you)</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="196"/>
        <source>《%1》</source>
        <translation>“%1”</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="197"/>
        <source>查看</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="223"/>
        <source>未签名：签字环节未完成</source>
        <translation>Not signed: the signing step was not completed</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="225"/>
        <source>部分签名：还有签字位置未签</source>
        <translation>Partly signed: some signature places are not signed</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="226"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="226"/>
        <source>第%1页</source>
        <translation>page %1</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="227"/>
        <source>已签名（%1）</source>
        <translation>Signed (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="228"/>
        <source>，单位印章在提交时加盖</source>
        <translation>; the company seal is applied on submission</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/review.py" line="257"/>
        <source>请核对办理内容，确认无误后点击确认提交</source>
        <translation>Please check what you did, then tap Confirm and submit</translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="77"/>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="79"/>
        <source>摄像头（auto、sim、序号或路径）</source>
        <translation>Camera (auto, sim, index or path)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="79"/>
        <source>采集宽度（像素）</source>
        <translation>Capture width (pixels)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="80"/>
        <source>采集高度（像素）</source>
        <translation>Capture height (pixels)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="80"/>
        <source>采集帧率</source>
        <translation>Capture frame rate</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="81"/>
        <source>麦克风（auto、sim 或设备名）</source>
        <translation>Microphone (auto, sim or device name)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="82"/>
        <source>身份证读卡器（驱动，或 serial:端口）</source>
        <translation>ID card reader (driver, or serial:port)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="82"/>
        <source>签字板（驱动）</source>
        <translation>Signature pad (driver)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="104"/>
        <source>中心平台</source>
        <translation>Central platform</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="107"/>
        <source>如 https://bdc.example.gov.cn/kiosk-api；空表示离线/演示</source>
        <translation>e.g. https://bdc.example.gov.cn/kiosk-api; empty means offline/demo</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="109"/>
        <source>空表示使用系统CA</source>
        <translation>Empty means the system CAs</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="113"/>
        <source>测试连接</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="113"/>
        <source>平台地址</source>
        <translation>Platform address</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="114"/>
        <source>平台证书的CA文件（PEM）</source>
        <translation>CA file for the platform certificate (PEM)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="117"/>
        <source>中文语音模型</source>
        <translation>Chinese speech model</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="121"/>
        <source>空表示默认位置：</source>
        <translation>Empty means the default place: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="124"/>
        <source>检查模型</source>
        <translation>Check model</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="124"/>
        <source>Vosk 模型目录</source>
        <translation>Vosk model folder</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="127"/>
        <source>设备、平台地址和语音模型在程序启动时打开：保存后，重启终端程序才生效。</source>
        <translation>Devices, the platform address and the speech model are opened when the program starts: after saving, restart the kiosk program for the changes to take effect.</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="131"/>
        <source>保存（重启后生效）</source>
        <translation>Save (takes effect after a restart)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="194"/>
        <source>未保存，请改正：</source>
        <translation>Not saved; please correct:</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="212"/>
        <source>已保存到 %1。重启终端程序后生效。</source>
        <translation>Saved to %1. Takes effect when the kiosk program is restarted.</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="226"/>
        <source>未填写平台地址：终端以离线/演示方式运行</source>
        <translation>No platform address: the kiosk runs offline/demo</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="232"/>
        <source>平台设置有误，请先保存查看具体原因</source>
        <translation>The platform settings are wrong; press Save to see why</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="236"/>
        <source>正在连接…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="240"/>
        <source>连接成功：</source>
        <translation>Connected: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="245"/>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/settings.py" line="248"/>
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
        <translation>Retry step</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="212"/>
        <source>人工通过</source>
        <translation>Pass</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="213"/>
        <source>人工不通过</source>
        <translation>Fail</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="213"/>
        <source>结束办理</source>
        <translation>End case</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="225"/>
        <source>重问本题</source>
        <translation>Ask again</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="235"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="268"/>
        <source>工作人员 %1 已登录（本案件办理期间有效）</source>
        <translation>Staff %1 logged in (for this case)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="273"/>
        <source>请先选择原因</source>
        <translation>Choose a reason first</translation>
    </message>
</context>
<context>
    <name>StaffWindow</name>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="61"/>
        <source>柜台双录 — 工作人员</source>
        <translation>Counter recording — staff</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="64"/>
        <source>客户屏</source>
        <translation>Customer screen</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="79"/>
        <source>工作人员登录</source>
        <translation>Staff login</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="82"/>
        <source>工号</source>
        <translation>Staff no.</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="84"/>
        <source>密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="86"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="91"/>
        <location filename="../../ui/counter/staff_window.py" line="269"/>
        <source>未登录</source>
        <translation>Not logged in</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="92"/>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="110"/>
        <source>演示账号：工号 0001，密码 246810</source>
        <translation>Demo account: staff no. 0001, PIN 246810</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="115"/>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="119"/>
        <source>受理号，如 LH2026-000123</source>
        <translation>Case number, e.g. LH2026-000123</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="121"/>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="422"/>
        <source>身份核验</source>
        <translation>Identity</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="422"/>
        <source>告知</source>
        <translation>Notice</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="422"/>
        <source>陈述</source>
        <translation>Statement</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="423"/>
        <source>问答</source>
        <translation>Questions</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="423"/>
        <source>签字</source>
        <translation>Signing</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="140"/>
        <source>开始办理</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="132"/>
        <source>角色</source>
        <comment>party table</comment>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="132"/>
        <source>姓名</source>
        <comment>party table</comment>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="132"/>
        <source>身份核验</source>
        <comment>party table</comment>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="133"/>
        <source>告知</source>
        <comment>party table</comment>
        <translation>Notice</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="133"/>
        <source>陈述</source>
        <comment>party table</comment>
        <translation>Statement</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="133"/>
        <source>问答</source>
        <comment>party table</comment>
        <translation>Q&amp;A</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="134"/>
        <source>签字</source>
        <comment>party table</comment>
        <translation>Sign</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="146"/>
        <source>处理</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="148"/>
        <location filename="../../ui/counter/staff_window.py" line="492"/>
        <source>无待处理事项</source>
        <translation>Nothing to decide</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="156"/>
        <source>工作人员现场核验身份无误</source>
        <translation>Staff verified the identity in person</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="156"/>
        <source>工作人员现场核听朗读/回答无误</source>
        <translation>Staff heard the statement/answers in person</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="157"/>
        <source>设备故障，人工核验</source>
        <translation>Device fault, checked by staff</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="157"/>
        <source>申请人要求终止办理</source>
        <translation>Applicant asked to stop</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="157"/>
        <source>申请人身份存疑</source>
        <translation>Identity in doubt</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="162"/>
        <source>原因（人工操作必填）</source>
        <translation>Reason (required for manual actions)</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="165"/>
        <source>重试本步</source>
        <translation>Retry step</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="166"/>
        <location filename="../../ui/counter/staff_window.py" line="420"/>
        <source>人工通过</source>
        <translation>Pass by staff</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="167"/>
        <location filename="../../ui/counter/staff_window.py" line="421"/>
        <source>人工不通过</source>
        <translation>Fail by staff</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="176"/>
        <location filename="../../ui/counter/staff_window.py" line="350"/>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="179"/>
        <location filename="../../ui/counter/staff_window.py" line="359"/>
        <source>终止办理</source>
        <translation>Abort session</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="182"/>
        <source>完成并清屏</source>
        <translation>Finish and clear</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="200"/>
        <source>实时语音识别</source>
        <translation>Live speech recognition</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/counter/staff_window.py" line="255"/>
        <source>待上传证据包：%n 个（网络恢复后自动上传）</source>
        <translation>
            <numerusform>%n evidence package waiting to upload (uploads when the network is back)</numerusform>
            <numerusform>%n evidence packages waiting to upload (upload when the network is back)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="256"/>
        <source>证据包已全部上传</source>
        <translation>All evidence packages uploaded</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/counter/staff_window.py" line="259"/>
        <source>；%n 个待技术人员处理</source>
        <translation>
            <numerusform>; %n for the technician</numerusform>
            <numerusform>; %n for the technician</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="278"/>
        <source>设备尚未就绪，请稍候再试</source>
        <translation>Devices not ready yet, try again shortly</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="284"/>
        <source>已登录：</source>
        <translation>Logged in: </translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="308"/>
        <source>（经办人）</source>
        <translation> (agent)</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="331"/>
        <source>人工判定必须填写原因</source>
        <translation>A manual decision needs a reason</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="335"/>
        <location filename="../../ui/counter/staff_window.py" line="416"/>
        <source>工作人员要求重试</source>
        <translation>Staff asked for a retry</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="347"/>
        <source>继续</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="357"/>
        <source>终止办理必须填写原因</source>
        <translation>Aborting needs a reason</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="360"/>
        <source>确定终止本案件的办理吗？所有申请人都需要重新办理。</source>
        <translation>End this case now? Every applicant will have to start again.</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="413"/>
        <source>案件已载入</source>
        <translation>case loaded</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="413"/>
        <source>开始</source>
        <translation>started</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="414"/>
        <source>结果</source>
        <translation>result</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="414"/>
        <source>未通过，重试</source>
        <translation>not passed, trying again</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="415"/>
        <source>无需办理</source>
        <translation>not needed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="415"/>
        <source>需要工作人员处理</source>
        <translation>needs staff</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="416"/>
        <source>已暂停</source>
        <translation>paused</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="417"/>
        <source>已继续</source>
        <translation>resumed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="417"/>
        <source>待客户确认</source>
        <translation>waiting for the customer&apos;s review</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="418"/>
        <source>客户已确认</source>
        <translation>customer confirmed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="418"/>
        <source>办理完成</source>
        <translation>completed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="419"/>
        <source>办理终止</source>
        <translation>ended</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="419"/>
        <source>客户点选答案</source>
        <translation>customer tapped an answer</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="420"/>
        <source>通过</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="421"/>
        <source>未通过</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="434"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="434"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="436"/>
        <source>工号 %1</source>
        <translation>staff %1</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="458"/>
        <source>通过</source>
        <comment>party table</comment>
        <translation>Pass</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="458"/>
        <source>人工通过</source>
        <comment>party table</comment>
        <translation>Staff pass</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="459"/>
        <source>人工不通过</source>
        <comment>party table</comment>
        <translation>Staff fail</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="459"/>
        <source>未通过</source>
        <comment>party table</comment>
        <translation>Fail</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="460"/>
        <source>无需</source>
        <comment>party table</comment>
        <translation>N/A</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="460"/>
        <source>进行中</source>
        <comment>party table</comment>
        <translation>Running</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="485"/>
        <source>需要处理：</source>
        <translation>Needs a decision: </translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="497"/>
        <source>客户长时间无操作，%1 秒后结束</source>
        <translation>Customer inactive, session ends in %1 s</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="511"/>
        <location filename="../../ui/counter/staff_window.py" line="518"/>
        <source>办理已结束</source>
        <translation>The case has ended</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="514"/>
        <source>办理完成，材料已等待上传（网络恢复后自动上传）</source>
        <translation>Completed; the evidence is queued and will upload when the network is back</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="515"/>
        <source>办理完成，材料已上传</source>
        <translation>Completed; the evidence is uploaded</translation>
    </message>
    <message>
        <location filename="../../ui/counter/staff_window.py" line="517"/>
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
        <location filename="../../ui/technician/tabs/thresholds.py" line="38"/>
        <source>人脸比对阈值（openvino，余弦相似度，越大越严格）</source>
        <translation>Face match threshold (openvino, cosine similarity; higher is stricter)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="39"/>
        <source>人脸比对阈值（dlib，距离，越小越严格）</source>
        <translation>Face match threshold (dlib, distance; lower is stricter)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="40"/>
        <source>判定所用合格帧数</source>
        <translation>Good frames needed for a decision</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="41"/>
        <source>每个活体动作的时限（秒）</source>
        <translation>Time limit per liveness action (s)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="42"/>
        <source>录像期间本人在场的最低比例</source>
        <translation>Minimum share of the recording with the person present</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="43"/>
        <source>陈述核对通过的最低覆盖率</source>
        <translation>Minimum coverage for the read-aloud check to pass</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="44"/>
        <source>无操作超时（秒），倒计时后结束会话</source>
        <translation>Idle timeout (s); the session ends after a countdown</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="45"/>
        <source>超时前倒计时（秒）</source>
        <translation>Countdown before the timeout (s)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="46"/>
        <source>正文字号（磅）</source>
        <translation>Body text size (pt)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="47"/>
        <source>柜台模式客户屏的屏幕序号</source>
        <translation>Screen number of the customer screen at a counter</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="75"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="76"/>
        <source>保存（重启后生效）</source>
        <translation>Save (applies after restart)</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="91"/>
        <source>未保存，请改正：</source>
        <translation>Not saved; please correct:</translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="94"/>
        <source>保存失败：</source>
        <translation>Saving failed: </translation>
    </message>
    <message>
        <location filename="../../ui/technician/tabs/thresholds.py" line="98"/>
        <source>已保存到 </source>
        <translation>Saved to </translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../../ui/kiosk/pages/welcome.py" line="42"/>
        <source>不动产登记 双录签名</source>
        <translation>Real-estate registration — recorded signing</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/welcome.py" line="43"/>
        <source>身份核验 · 告知 · 陈述 · 问答 · 签字，全程录音录像</source>
        <translation>Identity · notice · statement · questions · signing, all recorded</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/welcome.py" line="45"/>
        <source>请触摸这里开始办理</source>
        <translation>Touch here to start</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/pages/welcome.py" line="75"/>
        <source>您好，请触摸屏幕开始办理</source>
        <translation>Hello, touch the screen to start</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../ui/app.py" line="100"/>
        <source>系统出现故障，请联系窗口工作人员。故障已记录。</source>
        <translation>Something went wrong. Please ask the staff at the counter. The fault was logged.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="104"/>
        <source>出错了</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>kiosk</name>
    <message>
        <location filename="../../kiosk/config.py" line="37"/>
        <source>中心平台地址，如 https://bdc.example.gov.cn/kiosk-api；空表示离线/演示</source>
        <translation>Central platform address, e.g. https://bdc.example.gov.cn/kiosk-api; empty means offline/demo</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="38"/>
        <source>校验平台证书的CA文件（PEM）；空表示系统CA</source>
        <translation>CA file (PEM) that checks the platform certificate; empty means the system CAs</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="39"/>
        <source>可选：平台证书公钥SHA-256指纹（证书固定）</source>
        <translation>Optional: SHA-256 fingerprint of the platform certificate key (pinning)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="40"/>
        <source>每次请求的超时（秒）</source>
        <translation>Timeout of each request (s)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="41"/>
        <source>心跳间隔（秒）</source>
        <translation>Heartbeat interval (s)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="42"/>
        <source>分片上传每片大小（MB）</source>
        <translation>Size of each upload part (MB)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="60"/>
        <source>平台地址应以 https:// （或测试用的 http://）开头</source>
        <translation>The platform address must start with https:// (or http:// for tests)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="62"/>
        <source>平台地址缺少主机名</source>
        <translation>The platform address has no host name</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="64"/>
        <source>平台地址不能包含用户名或密码</source>
        <translation>The platform address must not contain a user name or password</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="68"/>
        <source>平台地址的端口号不对</source>
        <translation>The port of the platform address is wrong</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="70"/>
        <source>平台地址不能带 ? 或 # 之后的部分</source>
        <translation>The platform address must not have a ? or # part</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="75"/>
        <source>摄像头：auto、sim 或设备序号/路径</source>
        <translation>Camera: auto, sim or device index/path</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="76"/>
        <source>采集宽度（像素）</source>
        <translation>Capture width (pixels)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="77"/>
        <source>采集高度（像素）</source>
        <translation>Capture height (pixels)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="78"/>
        <source>采集帧率</source>
        <translation>Capture frame rate</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="79"/>
        <source>麦克风：auto、sim 或设备名</source>
        <translation>Microphone: auto, sim or device name</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="80"/>
        <source>身份证读卡器：auto、sim、sdtapi、termb、serial:/dev/ttyUSB0</source>
        <translation>ID card reader: auto, sim, sdtapi, termb, serial:/dev/ttyUSB0</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="81"/>
        <source>签字板：auto、sim、wacom、hanvon、screen（屏幕手写）</source>
        <translation>Signature pad: auto, sim, wacom, hanvon, screen (sign on the screen)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="86"/>
        <source>人脸比对引擎：openvino（face-reidentification-retail-0095）或 dlib</source>
        <translation>Face match engine: openvino (face-reidentification-retail-0095) or dlib</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="89"/>
        <source>openvino 引擎余弦相似度阈值（越大越严格）</source>
        <translation>openvino engine cosine similarity threshold (higher is stricter)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="90"/>
        <source>dlib 引擎1:1比对距离阈值（越小越严格）</source>
        <translation>dlib engine 1:1 match distance threshold (lower is stricter)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="91"/>
        <source>判定所用合格帧数</source>
        <translation>Good frames needed for a decision</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="92"/>
        <source>合格人脸最小宽度（像素）</source>
        <translation>Minimum width of a usable face (pixels)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="93"/>
        <source>每个活体动作的时限（秒）</source>
        <translation>Time limit of each liveness action (s)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="94"/>
        <source>录像期间本人在场的最低比例</source>
        <translation>Minimum share of the recording with the applicant present</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="95"/>
        <source>录像期间在场检测的采样频率（次/秒）</source>
        <translation>Presence checks per second during the recording</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="96"/>
        <source>每次比对采集合格人脸的时限（秒）</source>
        <translation>Time limit to capture a usable face per match (s)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="100"/>
        <source>Vosk中文模型目录；空表示状态目录下 models/vosk-model-small-cn-0.22</source>
        <translation>Vosk Chinese model folder; empty means models/vosk-model-small-cn-0.22 in the state folder</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="101"/>
        <source>陈述核对通过的最低覆盖率</source>
        <translation>Minimum coverage for a statement to pass</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="102"/>
        <source>语音播报</source>
        <translation>Spoken guidance</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="106"/>
        <source>H.264 CRF 质量</source>
        <translation>H.264 CRF quality</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="107"/>
        <source>关键帧间隔（秒）</source>
        <translation>Keyframe interval (s)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="108"/>
        <source>允许丢帧比例</source>
        <translation>Allowed share of dropped frames</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="109"/>
        <source>允许音画偏差（毫秒）</source>
        <translation>Allowed audio/video offset (ms)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="110"/>
        <source>录音讲话音量下限（dBFS，最响5%的100毫秒段）</source>
        <translation>Minimum speech level (dBFS, loudest 5% of 100 ms windows)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="111"/>
        <source>声音与画面结束时间允许相差（毫秒）</source>
        <translation>Allowed difference between the ends of sound and picture (ms)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="112"/>
        <source>录像最短时长（秒）</source>
        <translation>Minimum recording length (s)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="116"/>
        <source>无操作超时（秒），倒计时后结束会话</source>
        <translation>Idle timeout (s); the session ends after a countdown</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="117"/>
        <source>超时前倒计时（秒）</source>
        <translation>Countdown before the timeout (s)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="118"/>
        <source>开始会话所需最小剩余磁盘（MB）</source>
        <translation>Free disk needed to start a session (MB)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="119"/>
        <source>平台回执后本地保留天数</source>
        <translation>Days kept locally after the platform receipt</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="123"/>
        <source>本机数据加密：gm（SM4-GCM，商用密码）或 intl（AES-256-GCM）</source>
        <translation>Local data encryption: gm (SM4-GCM, Chinese commercial cryptography) or intl (AES-256-GCM)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="125"/>
        <source>密钥封存：auto（有TPM 2.0/DPAPI则用）、tpm2、dpapi、none（不封存）</source>
        <translation>Key sealing: auto (TPM 2.0/DPAPI when present), tpm2, dpapi, none (not sealed)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="126"/>
        <source>TPM 连接（tpm2-tools TCTI），空表示 /dev/tpmrm0</source>
        <translation>TPM connection (tpm2-tools TCTI); empty means /dev/tpmrm0</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="130"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="131"/>
        <source>柜台模式客户屏的屏幕序号</source>
        <translation>Screen number of the customer screen in counter mode</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="132"/>
        <source>正文字号（磅）</source>
        <translation>Body text size (pt)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="136"/>
        <source>配置格式版本</source>
        <translation>Configuration format version</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="137"/>
        <source>终端编号</source>
        <translation>Terminal ID</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="150"/>
        <source>配置文件有误（{source}）：
{problems}</source>
        <translation>The configuration has errors ({source}):
{problems}</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="157"/>
        <source>数值太小</source>
        <translation>value too small</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="158"/>
        <source>数值太大</source>
        <translation>value too large</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="159"/>
        <source>应为整数</source>
        <translation>must be a whole number</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="160"/>
        <source>应为数字</source>
        <translation>must be a number</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="161"/>
        <source>应为 true 或 false</source>
        <translation>must be true or false</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="162"/>
        <source>应为一节设置（[节名]）</source>
        <translation>must be a section ([name])</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="165"/>
        <source>不是可选的取值</source>
        <translation>not one of the allowed values</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="166"/>
        <source>格式不对</source>
        <translation>wrong format</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="168"/>
        <source>应为文字</source>
        <translation>must be text</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="169"/>
        <source>缺少此项</source>
        <translation>missing</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="172"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="194"/>
        <source>{key}: 未知的配置项（拼写错误？）</source>
        <translation>{key}: unknown setting (a typo?)</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="199"/>
        <source>{name}（{key}）</source>
        <translation>{name} ({key})</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="205"/>
        <source>允许范围 {low}…{high}</source>
        <translation>allowed {low}…{high}</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="208"/>
        <source>允许值 {values}</source>
        <translation>allowed values {values}</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="211"/>
        <source>格式 {pattern}</source>
        <translation>format {pattern}</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="217"/>
        <source>{where}: {problem}（当前值 {got}，{allowed}）</source>
        <translation>{where}: {problem} (now {got}; {allowed})</translation>
    </message>
    <message>
        <location filename="../../kiosk/config.py" line="219"/>
        <source>{where}: {problem}（当前值 {got}）</source>
        <translation>{where}: {problem} (now {got})</translation>
    </message>
    <message>
        <location filename="../../kiosk/evidence/package.py" line="218"/>
        <source>还有申请人未完成办理，不能盖章</source>
        <translation>An applicant has not finished yet: the seal cannot be applied</translation>
    </message>
    <message>
        <location filename="../../kiosk/evidence/package.py" line="224"/>
        <source>未配置「{name}」的印章，无法完成盖章，请联系技术人员配置</source>
        <translation>No seal is configured for &quot;{name}&quot;; the seal cannot be applied. Please ask a technician to configure it</translation>
    </message>
    <message>
        <location filename="../../kiosk/evidence/package.py" line="233"/>
        <source>还有未签名的位置，不能完成办理</source>
        <translation>A signature is still missing: the case cannot be completed</translation>
    </message>
    <message>
        <location filename="../../kiosk/evidence/package.py" line="276"/>
        <source>还有文书未下载核验，不能完成办理</source>
        <translation>A document has not been downloaded and checked: the case cannot be completed</translation>
    </message>
    <message>
        <location filename="../../kiosk/evidence/package.py" line="279"/>
        <source>缺少审计日志，不能完成办理</source>
        <translation>The audit log is missing: the case cannot be completed</translation>
    </message>
    <message>
        <location filename="../../kiosk/evidence/package.py" line="284"/>
        <source>同一证据包已存在，请勿重复提交</source>
        <translation>This evidence package already exists; do not submit it again</translation>
    </message>
    <message>
        <location filename="../../kiosk/flow/machine.py" line="36"/>
        <location filename="../../kiosk/session/steps/identity.py" line="32"/>
        <source>身份核验</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <location filename="../../kiosk/flow/machine.py" line="36"/>
        <source>告知</source>
        <translation>Notice</translation>
    </message>
    <message>
        <location filename="../../kiosk/flow/machine.py" line="36"/>
        <source>陈述</source>
        <translation>Statement</translation>
    </message>
    <message>
        <location filename="../../kiosk/flow/machine.py" line="37"/>
        <source>问答</source>
        <translation>Questions</translation>
    </message>
    <message>
        <location filename="../../kiosk/flow/machine.py" line="37"/>
        <source>签字</source>
        <translation>Signing</translation>
    </message>
    <message>
        <location filename="../../kiosk/flow/machine.py" line="215"/>
        <location filename="../../kiosk/flow/machine.py" line="234"/>
        <source>人工判定必须记录工作人员</source>
        <translation>A manual decision must name the member of staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/flow/machine.py" line="376"/>
        <source>人工操作必须填写原因</source>
        <translation>A manual action needs a reason</translation>
    </message>
    <message>
        <location filename="../../kiosk/fonts.py" line="70"/>
        <source>缺少中文字体，无法{purpose}，请联系技术人员（{hint}）</source>
        <translation>A Chinese font is missing, so the kiosk cannot {purpose}. Please contact a technician ({hint})</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="139"/>
        <source>证件照片无法用于比对，请联系工作人员</source>
        <translation>The ID card photo cannot be used for matching. Please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="154"/>
        <source>{reason}，请再试一次</source>
        <translation>{reason}. Please try again</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="159"/>
        <location filename="../../kiosk/identity/check.py" line="160"/>
        <source>身份核验通过</source>
        <translation>Identity confirmed</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="163"/>
        <location filename="../../kiosk/identity/check.py" line="165"/>
        <source>身份核验未通过，请联系工作人员</source>
        <translation>Identity check failed. Please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="164"/>
        <source>身份核验未通过（{reason}），请联系工作人员</source>
        <translation>Identity check failed ({reason}). Please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="201"/>
        <source>请正视摄像头，保持不动</source>
        <translation>Look straight at the camera and keep still</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="229"/>
        <source>未能采集到清晰的人脸</source>
        <translation>No clear face could be captured</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="250"/>
        <location filename="../../kiosk/identity/check.py" line="313"/>
        <source>人脸比对未通过</source>
        <translation>The face does not match</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="295"/>
        <source>未检测到指定动作</source>
        <translation>The requested movement was not seen</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="295"/>
        <source>动作与提示不符</source>
        <translation>The movement did not match the prompt</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="296"/>
        <source>请保持面部在画面中</source>
        <translation>Please keep your face in the picture</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="296"/>
        <location filename="../../kiosk/identity/faces.py" line="25"/>
        <source>请确保镜头前只有您一人</source>
        <translation>Please make sure only you are in front of the camera</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="302"/>
        <location filename="../../kiosk/identity/faces.py" line="30"/>
        <location filename="../../kiosk/session/steps/identity.py" line="48"/>
        <location filename="../../kiosk/session/steps/identity.py" line="49"/>
        <source>请正视摄像头</source>
        <translation>Look straight at the camera</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/check.py" line="308"/>
        <source>未能确认本人</source>
        <translation>Could not confirm it is you</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/engine.py" line="86"/>
        <source>人脸模型文件损坏或缺失（{model}），请重新安装本软件</source>
        <translation>A face model file is damaged or missing ({model}). Please reinstall the software</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/faces.py" line="24"/>
        <source>请面对摄像头</source>
        <translation>Please face the camera</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/faces.py" line="26"/>
        <source>请靠近一点</source>
        <translation>Please come a little closer</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/faces.py" line="27"/>
        <source>光线太暗</source>
        <translation>Too dark</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/faces.py" line="28"/>
        <source>光线太亮，请避开强光</source>
        <translation>Too bright; please avoid strong light</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/faces.py" line="29"/>
        <source>请保持不动</source>
        <translation>Please keep still</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/liveness.py" line="21"/>
        <source>请眨眨眼</source>
        <translation>Please blink</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/liveness.py" line="22"/>
        <source>请向左转头，再转回来</source>
        <translation>Turn your head left, then back</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/liveness.py" line="23"/>
        <source>请向右转头，再转回来</source>
        <translation>Turn your head right, then back</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/liveness.py" line="24"/>
        <source>请张张嘴</source>
        <translation>Please open your mouth</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/liveness.py" line="25"/>
        <source>请点点头</source>
        <translation>Please nod</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/matcher.py" line="48"/>
        <source>{which}中没有找到清晰的人脸，请重新拍摄或联系工作人员</source>
        <translation>No clear face was found in the {which}. Please take it again or ask a member of staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/matcher.py" line="73"/>
        <location filename="../../kiosk/identity/matcher.py" line="76"/>
        <location filename="../../kiosk/identity/matcher.py" line="138"/>
        <source>证件照片</source>
        <translation>ID card photo</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/matcher.py" line="81"/>
        <location filename="../../kiosk/identity/matcher.py" line="131"/>
        <source>现场照片</source>
        <translation>live photo</translation>
    </message>
    <message>
        <location filename="../../kiosk/identity/matcher.py" line="97"/>
        <source>图片</source>
        <translation>image</translation>
    </message>
    <message>
        <location filename="../../kiosk/idnumber.py" line="25"/>
        <source>身份证号应为18位</source>
        <translation>An ID number has 18 characters</translation>
    </message>
    <message>
        <location filename="../../kiosk/idnumber.py" line="27"/>
        <source>身份证号只能包含数字，最后一位可为X</source>
        <translation>An ID number has only digits; the last one may be X</translation>
    </message>
    <message>
        <location filename="../../kiosk/idnumber.py" line="31"/>
        <source>身份证号中的出生日期无效</source>
        <translation>The date of birth in the ID number is not valid</translation>
    </message>
    <message>
        <location filename="../../kiosk/idnumber.py" line="33"/>
        <source>身份证号校验位不正确</source>
        <translation>The check digit of the ID number is wrong</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="41"/>
        <source>预告登记</source>
        <translation>Advance notice registration</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="42"/>
        <source>商品房首次登记</source>
        <translation>First registration of a new commercial house</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="43"/>
        <source>新房转移登记</source>
        <translation>Transfer registration (new house)</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="44"/>
        <source>存量房转移登记</source>
        <translation>Transfer registration (resale house)</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="45"/>
        <source>房地产权抵押登记</source>
        <translation>Mortgage registration</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="46"/>
        <source>抵押注销登记</source>
        <translation>Mortgage release registration</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="47"/>
        <source>司法查封</source>
        <translation>Judicial seizure</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="48"/>
        <source>司法裁决</source>
        <translation>Judicial ruling</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="49"/>
        <source>司法解封</source>
        <translation>Release of judicial seizure</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="52"/>
        <source>权利人</source>
        <translation>Right holder</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="52"/>
        <source>义务人</source>
        <translation>Obligor</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="52"/>
        <source>代理人</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="52"/>
        <source>抵押权人</source>
        <translation>Mortgagee</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="52"/>
        <source>抵押人</source>
        <translation>Mortgagor</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="52"/>
        <source>申请执行人</source>
        <translation>Enforcement applicant</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="52"/>
        <source>被执行人</source>
        <translation>Person subject to enforcement</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="52"/>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="52"/>
        <source>债务人</source>
        <translation>Debtor</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="61"/>
        <source>案件数据有误，请联系窗口工作人员（{where}{reason}）</source>
        <translation>The case data has an error. Please ask the counter staff ({where}{reason})</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="102"/>
        <source>未知的申请人角色</source>
        <translation>unknown applicant role</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="118"/>
        <source>自然人必须有身份证号</source>
        <translation>a natural person needs an ID number</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="121"/>
        <source>法人必须有统一社会信用代码</source>
        <translation>a legal person needs a unified social credit code</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="123"/>
        <source>法人必须由代理人（经办人）办理</source>
        <translation>a legal person must be represented by an agent</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="151"/>
        <source>签字位置的宽高必须为正，坐标不能为负</source>
        <translation>a signature place needs a positive width and height and no negative coordinates</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="195"/>
        <source>不动产单元号</source>
        <translation>Real estate unit number</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="195"/>
        <source>权属证明号</source>
        <translation>Title certificate number</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="211"/>
        <source>申请人编号重复</source>
        <translation>duplicate applicant id</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="215"/>
        <source>文书编号重复</source>
        <translation>duplicate document id</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="220"/>
        <source>签字位置指向不存在的申请人</source>
        <translation>a signature place names an applicant who is not in the case</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="222"/>
        <source>签字页超出文书页数</source>
        <translation>a signature page is beyond the last page of the document</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="227"/>
        <source>签字位置超出页面范围</source>
        <translation>a signature place lies outside the page</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="231"/>
        <source>只有法人可以加盖印章</source>
        <translation>only a legal person can apply a seal</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="234"/>
        <source>话术指向不存在的申请人</source>
        <translation>a script names an applicant who is not in the case</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="257"/>
        <source>案件数据不是JSON对象</source>
        <translation>the case data is not a JSON object</translation>
    </message>
    <message>
        <location filename="../../kiosk/model.py" line="266"/>
        <source>未知的业务类型</source>
        <translation>unknown business type</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="148"/>
        <source>未配置中心平台地址</source>
        <translation>No central platform address is configured</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="211"/>
        <source>本机尚未在中心平台注册，请技术人员输入注册码完成设备注册</source>
        <translation>This kiosk is not registered with the central platform. A technician must enter an enrolment code to register it</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="230"/>
        <source>平台的注册应答不完整，请稍后重试</source>
        <translation>The platform&apos;s enrolment answer is incomplete. Please try again later</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="243"/>
        <source>平台的凭据续期应答不完整</source>
        <translation>The platform&apos;s credential renewal answer is incomplete</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="257"/>
        <source>本机尚未在中心平台注册，请技术人员完成设备注册</source>
        <translation>This kiosk is not registered with the central platform. A technician must register it</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="269"/>
        <location filename="../../kiosk/platform/uploader.py" line="129"/>
        <source>上传已停止</source>
        <translation>Upload stopped</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="294"/>
        <location filename="../../kiosk/platform/client.py" line="298"/>
        <source>平台证书与本机固定的证书不符，已拒绝连接，请联系技术人员</source>
        <translation>The platform certificate does not match the pinned one; the connection was refused. Please contact a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="300"/>
        <source>无法验证中心平台的证书，请联系技术人员检查CA证书配置</source>
        <translation>The central platform certificate cannot be verified. Please ask a technician to check the CA configuration</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="303"/>
        <source>网络连接中心平台失败，稍后自动重试</source>
        <translation>Could not reach the central platform; retrying automatically</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="315"/>
        <source>中心平台暂时繁忙，稍后自动重试</source>
        <translation>The central platform is busy; retrying automatically</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="382"/>
        <location filename="../../kiosk/platform/client.py" line="390"/>
        <source>平台返回的案件数据格式不正确</source>
        <translation>The case data from the platform is malformed</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="399"/>
        <source>文书「{title}」下载后校验不一致，请重新下载或联系窗口</source>
        <translation>The document &quot;{title}&quot; failed its check after download. Please download it again or ask at the counter</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="422"/>
        <location filename="../../kiosk/platform/client.py" line="512"/>
        <source>工号或密码不正确</source>
        <translation>Wrong staff number or password</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="428"/>
        <source>平台的登录应答不完整，请稍后重试</source>
        <translation>The platform&apos;s login answer is incomplete. Please try again later</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="462"/>
        <source>平台回执格式不正确</source>
        <translation>The platform receipt is malformed</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="465"/>
        <source>平台回执签名无效，证据包保留在本机待查</source>
        <translation>The platform receipt signature is invalid; the evidence package is kept on this kiosk for checking</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="468"/>
        <source>平台回执与证据包编号不符</source>
        <translation>The platform receipt does not match the evidence package id</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="477"/>
        <location filename="../../kiosk/platform/client.py" line="486"/>
        <location filename="../../kiosk/platform/uploader.py" line="112"/>
        <source>中心平台的应答不完整或格式错误，稍后自动重试</source>
        <translation>The central platform&apos;s answer is incomplete or malformed; retrying automatically</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="502"/>
        <source>本终端在平台的注册已被吊销，请技术人员重新注册设备</source>
        <translation>This kiosk&apos;s registration was revoked by the platform. A technician must register it again</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="503"/>
        <source>本终端未在该平台注册，请技术人员重新注册设备</source>
        <translation>This kiosk is not registered with this platform. A technician must register it again</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="504"/>
        <source>平台拒绝了本机的请求签名，请技术人员检查设备密钥或重新注册</source>
        <translation>The platform refused this kiosk&apos;s request signature. A technician must check the device key or register again</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="505"/>
        <source>本机时间与平台相差过大，请技术人员校准时间</source>
        <translation>This kiosk&apos;s clock differs too much from the platform&apos;s. A technician must set the time</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="506"/>
        <source>没有找到这个受理号的案件，请核对受理号或咨询窗口</source>
        <translation>No case was found for this case number. Please check the number or ask at the counter</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="507"/>
        <source>证据包超过平台允许的大小，请联系技术人员</source>
        <translation>The evidence package is larger than the platform allows. Please contact a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="508"/>
        <source>证据包中有不安全的文件名，请联系技术人员</source>
        <translation>The evidence package has an unsafe file name. Please contact a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="509"/>
        <source>平台校验证据包未通过，证据包保留在本机，请联系技术人员</source>
        <translation>The platform rejected the evidence package; it is kept on this kiosk. Please contact a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="510"/>
        <source>平台上已有同编号但内容不同的证据包，请联系技术人员</source>
        <translation>The platform already holds a different evidence package with this id. Please contact a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="511"/>
        <source>注册码无效或已使用，请向平台管理员申请新的注册码</source>
        <translation>The enrolment code is invalid or used. Please ask the platform administrator for a new one</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="513"/>
        <source>密码错误次数过多，请稍后再试或联系管理员</source>
        <translation>Too many wrong passwords. Please try again later or contact the administrator</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="514"/>
        <source>该终端编号已被另一台设备注册，请平台管理员先吊销原注册</source>
        <translation>This terminal ID is registered to another device. The platform administrator must revoke that registration first</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="515"/>
        <location filename="../../kiosk/session/view.py" line="26"/>
        <source>请先将身份证放在读卡区</source>
        <translation>Please place your ID card on the reader first</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="516"/>
        <source>所读身份证不是本案件的当事人，请核对受理号或咨询窗口</source>
        <translation>The ID card read is not of a party to this case. Please check the case number or ask at the counter</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="517"/>
        <source>工作人员登录已失效，请重新登录</source>
        <translation>The staff login has expired. Please log in again</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="518"/>
        <source>该证据包平台已收妥，无需重传</source>
        <translation>The platform already holds this evidence package; no need to upload it again</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="519"/>
        <source>查询过于频繁，请稍后再试</source>
        <translation>Too many queries. Please try again later</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/client.py" line="533"/>
        <source>中心平台拒绝了请求（{status}）</source>
        <translation>The central platform refused the request ({status})</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/outbox.py" line="45"/>
        <location filename="../../kiosk/session/runner.py" line="46"/>
        <source>已保存，网络恢复后自动上传</source>
        <translation>Saved; it will be uploaded when the network is back</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/outbox.py" line="105"/>
        <source>证据文件在保存过程中被改动，请重新生成证据包</source>
        <translation>An evidence file changed while it was being saved. Please build the evidence package again</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/outbox.py" line="138"/>
        <source>本机暂存的证据文件已损坏</source>
        <translation>An evidence file stored on this kiosk is damaged</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/outbox.py" line="270"/>
        <source>证据包编号格式不正确</source>
        <translation>The evidence package id is malformed</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/outbox.py" line="279"/>
        <source>本机磁盘空间不足，证据包未能保存。请联系技术人员清理磁盘后重新办理</source>
        <translation>Not enough disk space; the evidence package was not saved. Please ask a technician to free disk space, then start again</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/outbox.py" line="292"/>
        <source>本机磁盘已满，证据包未能保存。请联系技术人员清理磁盘后重新办理</source>
        <translation>The disk is full; the evidence package was not saved. Please ask a technician to free disk space, then start again</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/outbox.py" line="294"/>
        <source>证据包保存失败，请联系技术人员</source>
        <translation>The evidence package could not be saved. Please contact a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/outbox.py" line="306"/>
        <source>证据包不完整（缺少 manifest.json），未能保存</source>
        <translation>The evidence package is incomplete (no manifest.json) and was not saved</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/outbox.py" line="316"/>
        <source>证据包中有不安全的文件，未能保存</source>
        <translation>The evidence package has an unsafe file and was not saved</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/outbox.py" line="493"/>
        <source>隔离区中没有这个编号</source>
        <translation>No package with this id in quarantine</translation>
    </message>
    <message>
        <location filename="../../kiosk/platform/uploader.py" line="143"/>
        <source>平台回执中的清单哈希与本机不符，证据包保留在本机，请联系技术人员</source>
        <translation>The manifest hash in the platform receipt differs from this kiosk&apos;s; the package is kept here. Please contact a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/recording/recorder.py" line="174"/>
        <source>无法开始录像，请联系工作人员检查存储空间。</source>
        <translation>The recording cannot start. Please ask a member of staff to check the storage.</translation>
    </message>
    <message>
        <location filename="../../kiosk/recording/recorder.py" line="245"/>
        <source>录像保存超时，请联系工作人员。</source>
        <translation>Saving the recording timed out. Please ask a member of staff.</translation>
    </message>
    <message>
        <location filename="../../kiosk/recording/recorder.py" line="248"/>
        <source>录像保存失败，请联系工作人员检查存储空间后重新录制。</source>
        <translation>The recording could not be saved. Please ask a member of staff to check the storage, then record again.</translation>
    </message>
    <message>
        <location filename="../../kiosk/recording/recorder.py" line="251"/>
        <source>没有录到任何画面和声音，请检查摄像头和麦克风后重新录制。</source>
        <translation>Nothing was recorded. Please check the camera and microphone, then record again.</translation>
    </message>
    <message>
        <location filename="../../kiosk/recording/watermark.py" line="31"/>
        <source>系统缺少中文字体，无法生成录像水印，请联系技术人员安装字体（fonts-wqy-zenhei）。</source>
        <translation>A Chinese font is missing, so the recording watermark cannot be made. Please ask a technician to install one (fonts-wqy-zenhei).</translation>
    </message>
    <message>
        <location filename="../../kiosk/recording/watermark.py" line="82"/>
        <source>录像水印中不能出现身份证号，请联系技术人员。</source>
        <translation>An ID number must not appear in the recording watermark. Please contact a technician.</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="52"/>
        <source>设备密钥格式不正确，请联系技术人员重新注册设备</source>
        <translation>The device key is malformed. Please ask a technician to register the kiosk again</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="99"/>
        <source>证书请求签名无效</source>
        <translation>The certificate request signature is invalid</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="145"/>
        <source>本机密钥无法解封（密钥只能在原终端上使用），请联系技术人员</source>
        <translation>This kiosk&apos;s keys cannot be unsealed (they work only on the original terminal). Please contact a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="152"/>
        <source>未封存：密钥文件仅靠文件权限保护（无 TPM 2.0 / DPAPI）</source>
        <translation>Not sealed: the key files are protected by file permissions only (no TPM 2.0 / DPAPI)</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="173"/>
        <source>TPM 2.0 封存</source>
        <translation>Sealed by TPM 2.0</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="241"/>
        <source>Windows DPAPI（本机范围）封存</source>
        <translation>Sealed by Windows DPAPI (machine scope)</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="299"/>
        <source>设备密钥与数据密钥由本机 TPM 2.0 封存：拷走的数据目录无法解密</source>
        <translation>The device and data keys are sealed by this machine&apos;s TPM 2.0: a copied data folder cannot be decrypted</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="302"/>
        <source>设备密钥与数据密钥由 Windows DPAPI（本机范围）封存：拷走的数据目录无法解密</source>
        <translation>The device and data keys are sealed by Windows DPAPI (machine scope): a copied data folder cannot be decrypted</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="304"/>
        <source>未封存：本机没有可用的 TPM 2.0（或 DPAPI），密钥仅靠文件权限保护，拷走数据目录即可解密</source>
        <translation>Not sealed: no usable TPM 2.0 (or DPAPI); the keys are protected by file permissions only, so a copied data folder can be decrypted</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="305"/>
        <source>启用主板 TPM 2.0 并安装 tpm2-tools（见 docs/security.md）</source>
        <translation>Enable the mainboard&apos;s TPM 2.0 and install tpm2-tools (see docs/security.md)</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="421"/>
        <source>平台下发的证书与本机密钥不匹配，请重新注册</source>
        <translation>The certificate from the platform does not match this kiosk&apos;s key. Please register again</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="462"/>
        <source>本机数据密钥损坏，请联系技术人员</source>
        <translation>This kiosk&apos;s data key is damaged. Please contact a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="510"/>
        <location filename="../../kiosk/security/keys.py" line="519"/>
        <source>加密数据格式不正确</source>
        <translation>The encrypted data is malformed</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/keys.py" line="521"/>
        <source>加密数据已损坏或密钥不符</source>
        <translation>The encrypted data is damaged or the key does not match</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/pin.py" line="47"/>
        <source>密码错误次数过多，已锁定，请 {minutes} 分钟后再试</source>
        <translation>Too many wrong PINs; locked. Please try again in {minutes} min</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/pin.py" line="54"/>
        <source>技术员密码文件丢失或已损坏，控制台已锁定。请按《运维方案》6.2“技术员密码恢复”处理</source>
        <translation>The technician PIN file is missing or damaged; the console is locked. Follow section 6.2 &quot;Technician PIN recovery&quot; of the operations manual</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/pin.py" line="60"/>
        <source>密码须为 {low} 到 {high} 位数字</source>
        <translation>The PIN must be {low} to {high} digits</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/pin.py" line="124"/>
        <source>尚未设置技术员密码，请先设置</source>
        <translation>No technician PIN is set yet. Please set one first</translation>
    </message>
    <message>
        <location filename="../../kiosk/security/pin.py" line="177"/>
        <source>技术员密码文件已损坏，请联系技术支持重新设置</source>
        <translation>The technician PIN file is damaged. Please ask technical support to set it again</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="268"/>
        <location filename="../../devices/owner.py" line="274"/>
        <location filename="../../devices/owner.py" line="322"/>
        <location filename="../../devices/owner.py" line="329"/>
        <location filename="../../devices/owner.py" line="384"/>
        <location filename="../../kiosk/session/capture.py" line="120"/>
        <source>{device}已断开，请检查连接线</source>
        <translation>The {device} is disconnected. Please check the cable</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/context.py" line="166"/>
        <source>未连接</source>
        <translation>not connected</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/context.py" line="194"/>
        <source>签字将在屏幕上进行</source>
        <translation>Signatures will be written on the screen</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/context.py" line="194"/>
        <source>设备未连接</source>
        <translation>Device not connected</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/context.py" line="228"/>
        <source>未配置中心平台地址，请技术人员在设置中填写平台地址</source>
        <translation>No central platform address is configured. A technician must enter it in the settings</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/context.py" line="230"/>
        <source>演示模式需要内置的参考平台，请用 main.py 启动</source>
        <translation>Demo mode needs the built-in reference platform; start with main.py</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="47"/>
        <source>暂时无法连接中心平台，尚未开始办理。请稍后再试，或到人工窗口办理</source>
        <translation>The central platform cannot be reached right now; nothing has started. Please try again later or go to a staffed counter</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="48"/>
        <source>没有读到身份证，办理尚未开始。如需办理，请重新输入受理号</source>
        <translation>No ID card was read and nothing has started. To continue, enter the case number again</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="49"/>
        <source>通过</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="49"/>
        <source>人工确认</source>
        <translation>Confirmed by staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="50"/>
        <source>人工否决</source>
        <translation>Rejected by staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="50"/>
        <source>未通过</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="54"/>
        <source>受理号 {case_no}</source>
        <translation>Case number {case_no}</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="106"/>
        <source>{device}已恢复，继续办理</source>
        <translation>The {device} is back; continuing</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="111"/>
        <source>{device}连接中断，请稍候或联系工作人员（{problem}）</source>
        <translation>The {device} connection was lost. Please wait or ask a member of staff ({problem})</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="187"/>
        <source>本机存储空间不足，暂停办理，请联系工作人员</source>
        <translation>This kiosk is low on storage; paused. Please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="198"/>
        <source>正在获取案件信息</source>
        <translation>Fetching your case</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="330"/>
        <source>需要工作人员协助</source>
        <translation>Staff assistance needed</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="381"/>
        <source>{step}：{reason}</source>
        <translation>{step}: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="403"/>
        <source>{role}：{step} — {outcome}</source>
        <translation>{role}: {step} — {outcome}</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="411"/>
        <source>请核对办理结果</source>
        <translation>Please check the result</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="413"/>
        <source>确认提交</source>
        <translation>Confirm and submit</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="413"/>
        <source>确认无误</source>
        <translation>Confirm, all correct</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="425"/>
        <source>正在生成并提交材料</source>
        <translation>Sealing and submitting the evidence</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="425"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="459"/>
        <source>办理完成，材料已提交。请取走身份证。</source>
        <translation>Done, the evidence was submitted. Please take your ID card.</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="462"/>
        <source>已保存，网络恢复后自动上传。请取走身份证。</source>
        <translation>Saved; it uploads when the network is back. Please take your ID card.</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="478"/>
        <source>本次办理已结束，已采集的材料已安全保存。请取走身份证。</source>
        <translation>The session has ended; what was captured is stored safely. Please take your ID card.</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/runner.py" line="483"/>
        <source>本次办理已结束。请取走身份证。</source>
        <translation>The session has ended. Please take your ID card.</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/base.py" line="94"/>
        <source>{role} {name}（经办人）</source>
        <translation>{role} {name} (agent)</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/base.py" line="95"/>
        <source>{role} {name}</source>
        <translation>{role} {name}</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/identity.py" line="32"/>
        <location filename="../../kiosk/session/steps/identity.py" line="33"/>
        <source>请将身份证放在读卡区</source>
        <translation>Place your ID card on the reader</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/identity.py" line="37"/>
        <source>未读到身份证，请将身份证平放在读卡区</source>
        <translation>No ID card was read. Please lay your ID card flat on the reader</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/identity.py" line="44"/>
        <source>身份证与办理人不一致，请使用本人身份证</source>
        <translation>This ID card is not of the applicant. Please use your own ID card</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/identity.py" line="47"/>
        <source>无法获取证件照片，请联系工作人员核验</source>
        <translation>The ID card photo cannot be read. Please ask a member of staff to check</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/identity.py" line="48"/>
        <source>人脸核验</source>
        <translation>Face check</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/identity.py" line="92"/>
        <source>身份核验未通过</source>
        <translation>Identity check failed</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/notice.py" line="10"/>
        <location filename="../../kiosk/session/steps/notice.py" line="12"/>
        <source>告知事项</source>
        <translation>Notice</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/notice.py" line="11"/>
        <source>请仔细阅读告知内容，阅读完毕请点击「我已阅读并知晓」</source>
        <translation>Please read the notice, then touch &quot;I have read and understood&quot;</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/notice.py" line="12"/>
        <source>我已阅读并知晓</source>
        <translation>I have read and understood</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/notice.py" line="14"/>
        <source>请阅读告知内容后确认</source>
        <translation>Please read the notice, then confirm</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/qa.py" line="20"/>
        <source>语音识别模型未安装，请工作人员现场核听回答后确认</source>
        <translation>No speech model is installed: a member of staff must listen to the answer and confirm</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/qa.py" line="21"/>
        <source>每一问的回答均由工作人员现场核听确认</source>
        <translation>Every answer was heard and confirmed by a member of staff on site</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/qa.py" line="22"/>
        <location filename="../../kiosk/session/steps/qa.py" line="23"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/qa.py" line="22"/>
        <location filename="../../kiosk/session/steps/qa.py" line="23"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/qa.py" line="38"/>
        <location filename="../../kiosk/session/steps/qa.py" line="70"/>
        <source>请回答</source>
        <translation>Please answer</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/qa.py" line="50"/>
        <source>未能确认您的回答，请再回答一次</source>
        <translation>Your answer was not understood, please answer again</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/qa.py" line="56"/>
        <source>未点选</source>
        <translation>nothing tapped</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/qa.py" line="57"/>
        <source>第{number}问：{ask}
应答为：{expect}；申请人触屏作答：{tapped}
（{no_model}）</source>
        <translation>Question {number}: {ask}
Expected answer: {expect}; tapped on screen: {tapped}
({no_model})</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/qa.py" line="80"/>
        <source>语音识别模型未安装，由工作人员现场核听</source>
        <translation>No speech model installed; a member of staff listened on site</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/signing.py" line="24"/>
        <source>请在「{title}」上签名</source>
        <translation>Please sign &quot;{title}&quot;</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/signing.py" line="25"/>
        <source>第{page}页</source>
        <translation>Page {page}</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/signing.py" line="27"/>
        <source>请用签字笔在签字板上签写您的姓名，写完点击确认</source>
        <translation>Sign your name on the pad with the pen, then touch Confirm</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/statement.py" line="9"/>
        <source>语音识别模型未安装，请工作人员现场核听后确认</source>
        <translation>No speech model is installed: a member of staff must listen and confirm</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/statement.py" line="19"/>
        <source>请朗读以下内容</source>
        <translation>Please read the following aloud</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/statement.py" line="22"/>
        <location filename="../../kiosk/session/steps/statement.py" line="30"/>
        <source>请看着屏幕，大声朗读屏幕上的文字</source>
        <translation>Please look at the screen and read the text aloud</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/statement.py" line="25"/>
        <source>语音识别模型未安装，陈述由工作人员现场核听</source>
        <translation>No speech model installed; a member of staff listened to the statement on site</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/statement.py" line="33"/>
        <location filename="../../kiosk/session/steps/statement.py" line="34"/>
        <source>请再读一遍标出的句子</source>
        <translation>Please read the marked sentences again</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/steps/statement.py" line="56"/>
        <source>朗读内容未能完整识别，请再读一次标出的句子</source>
        <translation>Not everything was recognised, please read the marked sentences again</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/view.py" line="27"/>
        <source>已读取身份证，正在查询案件，请稍候</source>
        <translation>ID card read; looking up the case, please wait</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/view.py" line="28"/>
        <source>未能读取身份证，请取下身份证，正面朝上平放在读卡区，不要移动</source>
        <translation>The ID card could not be read. Take it off and lay it flat on the reader, front side up, and keep it still</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/view.py" line="66"/>
        <location filename="../../kiosk/session/view.py" line="148"/>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../kiosk/session/view.py" line="88"/>
        <source>本环境未安装中文语音模型，无法自动核对语音</source>
        <translation>No Chinese speech model is installed here; speech cannot be checked automatically</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="56"/>
        <source>文书文件{reason}，无法签署。请工作人员核对后重新推送文书</source>
        <translation>The document file cannot be signed ({reason}). Please ask a member of staff to check it and send it again</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="70"/>
        <source>过大</source>
        <translation>too large</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="73"/>
        <source>文书与案件登记的版本不一致（校验值不符），请工作人员重新推送文书</source>
        <translation>The document is not the version registered with the case (checksum differs). Please ask a member of staff to send it again</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="77"/>
        <source>不是PDF</source>
        <translation>not a PDF</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="79"/>
        <source>不完整（可能下载中断）</source>
        <translation>incomplete, perhaps an interrupted download</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="87"/>
        <location filename="../../kiosk/signing/pdf.py" line="123"/>
        <location filename="../../kiosk/signing/pdf.py" line="298"/>
        <source>已加密</source>
        <translation>encrypted</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="90"/>
        <source>没有页面</source>
        <translation>no pages</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="92"/>
        <source>页数过多</source>
        <translation>too many pages</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="99"/>
        <source>页面尺寸无效</source>
        <translation>invalid page size</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="105"/>
        <location filename="../../kiosk/signing/pdf.py" line="111"/>
        <location filename="../../kiosk/signing/pdf.py" line="128"/>
        <location filename="../../kiosk/signing/pdf.py" line="140"/>
        <location filename="../../kiosk/signing/pdf.py" line="243"/>
        <location filename="../../kiosk/signing/pdf.py" line="296"/>
        <source>已损坏</source>
        <translation>damaged</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="146"/>
        <source>签字位置在第{page}页，但文书只有{pages}页</source>
        <translation>the signature place is on page {page} but the document has {pages} pages</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="150"/>
        <source>签字位置的宽高必须为正</source>
        <translation>a signature place needs a positive width and height</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="152"/>
        <source>签字位置 ({x:.0f},{y:.0f},{w:.0f}×{h:.0f}) 超出第{page}页页面范围</source>
        <translation>the signature place ({x:.0f},{y:.0f},{w:.0f}×{h:.0f}) lies outside page {page}</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="161"/>
        <source>文书的签字位置有误：{problem}。请工作人员联系平台更正</source>
        <translation>A signature place of the document is wrong: {problem}. Please ask a member of staff to have the platform correct it</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="266"/>
        <source>本机尚无设备证书，请先完成设备注册（或演示模式初始化）</source>
        <translation>This kiosk has no device certificate yet. Please register it first (or initialise demo mode)</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="312"/>
        <source>的附件结构不受支持</source>
        <translation>unsupported attachment structure</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pdf.py" line="323"/>
        <source>时间戳服务不可用，文书签署失败，请稍后重试或联系技术人员</source>
        <translation>The time-stamp service is unavailable; the document could not be signed. Please try again later or contact a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pen.py" line="184"/>
        <location filename="../../kiosk/signing/pen.py" line="204"/>
        <source>笔迹数据格式不正确</source>
        <translation>The pen data is malformed</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pen.py" line="267"/>
        <source>没有检测到签名，请在签名区域内书写您的姓名后再确认</source>
        <translation>No signature found. Please write your name in the signature area, then confirm</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pen.py" line="271"/>
        <source>签名太小，请把字写大一些，重新签名</source>
        <translation>The signature is too small. Please write larger and sign again</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pen.py" line="273"/>
        <source>笔迹太少，请用正楷完整书写姓名，重新签名</source>
        <translation>Too little ink. Please write your full name clearly and sign again</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pen.py" line="275"/>
        <source>笔画太少，请完整书写姓名，重新签名</source>
        <translation>Too few strokes. Please write your full name and sign again</translation>
    </message>
    <message>
        <location filename="../../kiosk/signing/pen.py" line="277"/>
        <source>签名过短，请完整书写姓名，重新签名</source>
        <translation>The signature is too short. Please write your full name and sign again</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/engine.py" line="43"/>
        <source>语音识别模型不可用，请联系工作人员（工作人员可人工听取核对）</source>
        <translation>The speech model is unavailable. Please ask a member of staff (they can listen and check)</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/matching.py" line="326"/>
        <source>多出否定/拒绝：「{word}」</source>
        <translation>extra negation/refusal: &quot;{word}&quot;</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/matching.py" line="332"/>
        <source>漏读否定：「{word}」</source>
        <translation>negation left out: &quot;{word}&quot;</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/matching.py" line="350"/>
        <source>{what}读错：「{expected}」听成「{heard}」</source>
        <translation>{what} misread: &quot;{expected}&quot; heard as &quot;{heard}&quot;</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/matching.py" line="353"/>
        <source>{what}未读全：「{expected}」，听到「{heard}」</source>
        <translation>{what} not read in full: &quot;{expected}&quot;, heard &quot;{heard}&quot;</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/matching.py" line="356"/>
        <source>{what}未读全：「{expected}」</source>
        <translation>{what} not read in full: &quot;{expected}&quot;</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/models.py" line="85"/>
        <source>模型压缩包包含不安全的路径，已拒绝安装</source>
        <translation>The model archive has unsafe paths; not installed</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/models.py" line="93"/>
        <source>模型压缩包包含不安全的路径或链接，已拒绝安装</source>
        <translation>The model archive has unsafe paths or links; not installed</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/models.py" line="97"/>
        <source>无法识别的模型文件：应为 zip 或 tar 压缩包，或模型文件夹</source>
        <translation>Unrecognised model file: expected a zip or tar archive, or a model folder</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/models.py" line="105"/>
        <source>压缩包里没有找到 Vosk 模型（缺少 am/final.mdl）</source>
        <translation>No Vosk model in the archive (am/final.mdl missing)</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/models.py" line="121"/>
        <source>模型下载失败，请检查网络或改用本地文件</source>
        <translation>The model download failed. Check the network or use a local file</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/models.py" line="139"/>
        <source>模型无法加载，文件可能损坏或版本不符</source>
        <translation>The model cannot be loaded; the files may be damaged or of the wrong version</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/models.py" line="150"/>
        <source>sha256 校验值格式不对：应为64位十六进制</source>
        <translation>Malformed sha256: expected 64 hexadecimal digits</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/models.py" line="159"/>
        <source>找不到要安装的模型文件或文件夹</source>
        <translation>The model file or folder to install was not found</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/models.py" line="164"/>
        <source>模型文件夹校验值不符，可能不完整或被篡改</source>
        <translation>The model folder checksum differs; it may be incomplete or tampered with</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/models.py" line="170"/>
        <source>模型压缩包校验值不符，可能下载不完整或被篡改</source>
        <translation>The model archive checksum differs; the download may be incomplete or tampered with</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/readiness.py" line="36"/>
        <source>语音识别暂不可用，请联系工作人员到柜台办理</source>
        <translation>Speech recognition is unavailable. Please ask a member of staff and continue at the counter</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/readiness.py" line="37"/>
        <source>语音识别不可用：请工作人员听取申请人朗读和回答后人工确认</source>
        <translation>Speech recognition unavailable: a member of staff listens to the reading and answers and confirms by hand</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/spans.py" line="25"/>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/spans.py" line="25"/>
        <source>日期</source>
        <translation>date</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/spans.py" line="25"/>
        <source>金额</source>
        <translation>amount</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/spans.py" line="25"/>
        <source>数字</source>
        <translation>number</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/spans.py" line="25"/>
        <source>姓名</source>
        <translation>name</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/spans.py" line="26"/>
        <source>机构名称</source>
        <translation>institution name</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/spans.py" line="26"/>
        <source>身份</source>
        <translation>capacity</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/spans.py" line="26"/>
        <source>地址</source>
        <translation>address</translation>
    </message>
    <message>
        <location filename="../../kiosk/speech/spans.py" line="26"/>
        <source>关键内容</source>
        <translation>key words</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="50"/>
        <source>摄像头</source>
        <translation>camera</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="50"/>
        <source>麦克风</source>
        <translation>microphone</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="51"/>
        <source>身份证读卡器</source>
        <translation>ID card reader</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="51"/>
        <source>签字板</source>
        <translation>signature pad</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="104"/>
        <source>设备</source>
        <translation>device</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="202"/>
        <location filename="../../devices/owner.py" line="411"/>
        <source>{device}已停止</source>
        <translation>The {device} has stopped</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="269"/>
        <location filename="../../devices/owner.py" line="339"/>
        <source>重新插好{device}的连接线</source>
        <translation>Plug the {device} cable in again</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="277"/>
        <source>{device}不可用</source>
        <translation>The {device} is not available</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="278"/>
        <source>{device}未打开</source>
        <translation>The {device} is not open</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="343"/>
        <source>{device}已恢复</source>
        <translation>The {device} is back</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="406"/>
        <source>{device}出现故障，请联系技术人员</source>
        <translation>The {device} has failed. Please contact a technician</translation>
    </message>
    <message>
        <location filename="../../devices/owner.py" line="407"/>
        <source>查看技术日志</source>
        <translation>See the technical log</translation>
    </message>
    <message>
        <location filename="../../kiosk/usbdrives.py" line="163"/>
        <source>U盘空间不足，文件没有导出。请换一个U盘，或删除U盘上不需要的文件后再试。</source>
        <translation>The USB drive is full; nothing was exported. Use another drive, or delete files you do not need from it and try again.</translation>
    </message>
    <message>
        <location filename="../../kiosk/usbdrives.py" line="165"/>
        <source>U盘是只读的（或没有写入权限），文件没有导出。请检查U盘侧面的写保护开关，或换一个U盘。</source>
        <translation>The USB drive is read-only (or not writable); nothing was exported. Check the write-protect switch on its side, or use another drive.</translation>
    </message>
    <message>
        <location filename="../../kiosk/usbdrives.py" line="167"/>
        <source>U盘已拔出或无法读写，文件没有导出完整。请重新插好U盘后再导出。</source>
        <translation>The USB drive was removed or cannot be written; the export is incomplete. Plug the drive in again and export again.</translation>
    </message>
    <message>
        <location filename="../../kiosk/usbdrives.py" line="168"/>
        <source>写入U盘出错，文件没有导出。请换一个U盘再试。</source>
        <translation>Writing to the USB drive failed; nothing was exported. Please try another drive.</translation>
    </message>
    <message>
        <location filename="../../kiosk/usbdrives.py" line="179"/>
        <source>U盘已拔出或无法读写，文件没有导出。请重新插好U盘后再导出。</source>
        <translation>The USB drive was removed or cannot be written; nothing was exported. Plug the drive in again and export again.</translation>
    </message>
    <message>
        <location filename="../../ui/technician/exports.py" line="43"/>
        <source>{problem}
文件仍保存在本机：{path}</source>
        <translation>{problem}
The file is still kept on this kiosk: {path}</translation>
    </message>
    <message>
        <location filename="../../devices/audio/pcm.py" line="43"/>
        <source>无法读取模拟麦克风的录音文件</source>
        <translation>The simulated microphone&apos;s recording file cannot be read</translation>
    </message>
    <message>
        <location filename="../../devices/audio/pcm.py" line="55"/>
        <source>录音文件的采样格式不支持</source>
        <translation>The recording file&apos;s sample format is not supported</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="34"/>
        <source>安装 PortAudio：Kylin/UOS/Debian 执行 sudo apt-get install libportaudio2；Windows 重新安装本软件</source>
        <translation>Install PortAudio: on Kylin/UOS/Debian run sudo apt-get install libportaudio2; on Windows reinstall this software</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="41"/>
        <source>声音系统（PortAudio）不可用</source>
        <translation>The sound system (PortAudio) is not available</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="63"/>
        <source>声音系统无法列出麦克风</source>
        <translation>The sound system cannot list the microphones</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="80"/>
        <source>麦克风 {number}</source>
        <translation>Microphone {number}</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="81"/>
        <source>麦克风（默认）</source>
        <translation>Microphone (default)</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="126"/>
        <source>未找到麦克风，请检查麦克风连接线</source>
        <translation>No microphone found. Please check the microphone cable</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="127"/>
        <source>插好麦克风；在系统声音设置里确认输入设备</source>
        <translation>Plug the microphone in; check the input device in the system sound settings</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="128"/>
        <source>麦克风无法打开</source>
        <translation>The microphone cannot be opened</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="129"/>
        <source>确认没有其他程序独占麦克风；检查系统声音设置</source>
        <translation>Make sure no other program holds the microphone; check the system sound settings</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="139"/>
        <location filename="../../devices/audio/sim.py" line="111"/>
        <source>麦克风未打开</source>
        <translation>The microphone is not open</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="145"/>
        <location filename="../../devices/audio/sim.py" line="114"/>
        <location filename="../../devices/audio/sim.py" line="161"/>
        <source>麦克风已断开，请检查麦克风连接线</source>
        <translation>The microphone is disconnected. Please check its cable</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="147"/>
        <location filename="../../devices/audio/sim.py" line="99"/>
        <location filename="../../devices/audio/sim.py" line="115"/>
        <location filename="../../devices/audio/sim.py" line="161"/>
        <source>重新插好麦克风USB线</source>
        <translation>Plug the microphone USB cable in again</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="166"/>
        <source>声音过大，请离麦克风稍远一些</source>
        <translation>Too loud. Please move a little away from the microphone</translation>
    </message>
    <message>
        <location filename="../../devices/audio/portaudio.py" line="168"/>
        <source>麦克风没有声音，请检查麦克风是否静音</source>
        <translation>No sound from the microphone. Please check that it is not muted</translation>
    </message>
    <message>
        <location filename="../../devices/audio/sim.py" line="40"/>
        <source>模拟麦克风</source>
        <translation>Simulated microphone</translation>
    </message>
    <message>
        <location filename="../../devices/audio/sim.py" line="98"/>
        <source>麦克风未连接，请检查麦克风连接线</source>
        <translation>The microphone is not connected. Please check its cable</translation>
    </message>
    <message>
        <location filename="../../devices/camera/actor.py" line="57"/>
        <source>演示用人像照片中没有找到人脸</source>
        <translation>No face found in the demo portrait</translation>
    </message>
    <message>
        <location filename="../../devices/camera/actor.py" line="127"/>
        <source>演示用人像照片无法放入画面</source>
        <translation>The demo portrait does not fit into the picture</translation>
    </message>
    <message>
        <location filename="../../devices/camera/opencv.py" line="74"/>
        <location filename="../../devices/camera/opencv.py" line="87"/>
        <source>摄像头 {number}</source>
        <translation>Camera {number}</translation>
    </message>
    <message>
        <location filename="../../devices/camera/opencv.py" line="99"/>
        <location filename="../../devices/camera/sim.py" line="178"/>
        <source>摄像头未连接，请检查摄像头连接线</source>
        <translation>The camera is not connected. Please check its cable</translation>
    </message>
    <message>
        <location filename="../../devices/camera/opencv.py" line="100"/>
        <source>插好摄像头USB线</source>
        <translation>Plug the camera USB cable in</translation>
    </message>
    <message>
        <location filename="../../devices/camera/opencv.py" line="102"/>
        <source>没有权限使用摄像头</source>
        <translation>No permission to use the camera</translation>
    </message>
    <message>
        <location filename="../../devices/camera/opencv.py" line="103"/>
        <source>把当前用户加入 video 组（sudo usermod -aG video 用户名）后重新登录</source>
        <translation>Add the current user to the video group (sudo usermod -aG video USERNAME) and log in again</translation>
    </message>
    <message>
        <location filename="../../devices/camera/opencv.py" line="112"/>
        <source>摄像头无法打开，请检查摄像头连接线</source>
        <translation>The camera cannot be opened. Please check its cable</translation>
    </message>
    <message>
        <location filename="../../devices/camera/opencv.py" line="113"/>
        <source>插好摄像头USB线；确认没有其他程序占用摄像头</source>
        <translation>Plug the camera USB cable in; make sure no other program uses the camera</translation>
    </message>
    <message>
        <location filename="../../devices/camera/opencv.py" line="137"/>
        <location filename="../../devices/camera/sim.py" line="195"/>
        <source>摄像头未打开</source>
        <translation>The camera is not open</translation>
    </message>
    <message>
        <location filename="../../devices/camera/opencv.py" line="143"/>
        <location filename="../../devices/camera/sim.py" line="198"/>
        <location filename="../../devices/camera/sim.py" line="244"/>
        <source>摄像头已断开，请检查摄像头连接线</source>
        <translation>The camera is disconnected. Please check its cable</translation>
    </message>
    <message>
        <location filename="../../devices/camera/opencv.py" line="144"/>
        <location filename="../../devices/camera/sim.py" line="179"/>
        <location filename="../../devices/camera/sim.py" line="199"/>
        <location filename="../../devices/camera/sim.py" line="244"/>
        <source>重新插好摄像头USB线</source>
        <translation>Plug the camera USB cable in again</translation>
    </message>
    <message>
        <location filename="../../devices/camera/sim.py" line="49"/>
        <source>模拟摄像头的画面格式不对</source>
        <translation>The simulated camera&apos;s picture format is wrong</translation>
    </message>
    <message>
        <location filename="../../devices/camera/sim.py" line="75"/>
        <source>模拟摄像头的图片目录是空的</source>
        <translation>The simulated camera&apos;s picture folder is empty</translation>
    </message>
    <message>
        <location filename="../../devices/camera/sim.py" line="81"/>
        <source>找不到模拟摄像头的视频文件</source>
        <translation>The simulated camera&apos;s video file was not found</translation>
    </message>
    <message>
        <location filename="../../devices/camera/sim.py" line="84"/>
        <location filename="../../devices/camera/sim.py" line="226"/>
        <source>模拟摄像头没有画面</source>
        <translation>The simulated camera has no picture</translation>
    </message>
    <message>
        <location filename="../../devices/camera/sim.py" line="99"/>
        <source>模拟摄像头的画面来源无法识别</source>
        <translation>The simulated camera&apos;s picture source is not recognised</translation>
    </message>
    <message>
        <location filename="../../devices/camera/sim.py" line="107"/>
        <source>模拟摄像头的视频文件无法打开</source>
        <translation>The simulated camera&apos;s video file cannot be opened</translation>
    </message>
    <message>
        <location filename="../../devices/camera/sim.py" line="119"/>
        <source>模拟摄像头的图片无法读取</source>
        <translation>The simulated camera&apos;s picture cannot be read</translation>
    </message>
    <message>
        <location filename="../../devices/camera/sim.py" line="152"/>
        <source>模拟摄像头</source>
        <translation>Simulated camera</translation>
    </message>
    <message>
        <location filename="../../devices/camera/sim.py" line="222"/>
        <source>模拟摄像头的画面已播放完</source>
        <translation>The simulated camera&apos;s pictures have run out</translation>
    </message>
    <message>
        <location filename="../../devices/idcard/sim.py" line="33"/>
        <source>模拟身份证读卡器</source>
        <translation>Simulated ID card reader</translation>
    </message>
    <message>
        <location filename="../../devices/idcard/sim.py" line="63"/>
        <source>身份证读卡器未连接，请检查连接线</source>
        <translation>The ID card reader is not connected. Please check the cable</translation>
    </message>
    <message>
        <location filename="../../devices/idcard/sim.py" line="68"/>
        <source>身份证读卡器未打开</source>
        <translation>The ID card reader is not open</translation>
    </message>
    <message>
        <location filename="../../devices/idcard/sim.py" line="81"/>
        <location filename="../../devices/idcard/sim.py" line="93"/>
        <source>身份证读卡器已断开，请检查连接线</source>
        <translation>The ID card reader is disconnected. Please check the cable</translation>
    </message>
    <message>
        <location filename="../../devices/idcard/sim.py" line="93"/>
        <source>重新插好读卡器USB线</source>
        <translation>Plug the card reader USB cable in again</translation>
    </message>
    <message>
        <location filename="../../devices/signpad/sim.py" line="83"/>
        <source>模拟签字板</source>
        <translation>Simulated signature pad</translation>
    </message>
    <message>
        <location filename="../../devices/signpad/sim.py" line="106"/>
        <location filename="../../devices/signpad/sim.py" line="143"/>
        <source>签字板已断开，请检查连接线</source>
        <translation>The signature pad is disconnected. Please check the cable</translation>
    </message>
    <message>
        <location filename="../../devices/signpad/sim.py" line="106"/>
        <location filename="../../devices/signpad/sim.py" line="143"/>
        <source>重新插好签字板USB线</source>
        <translation>Plug the signature pad USB cable in again</translation>
    </message>
</context>
<context>
    <name>session</name>
    <message>
        <location filename="../../ui/session_texts.py" line="15"/>
        <source>本机不能自动核对语音，请稍候，工作人员会现场核听您的回答</source>
        <translation>This kiosk cannot check speech by itself. Please wait: a member of staff will listen to your answers here</translation>
    </message>
    <message>
        <location filename="../../ui/session_texts.py" line="17"/>
        <source>本机不能自动核对语音，请稍候，工作人员会现场核听您的朗读</source>
        <translation>This kiosk cannot check speech by itself. Please wait: a member of staff will listen to your reading here</translation>
    </message>
</context>
<context>
    <name>workers</name>
    <message>
        <location filename="../../ui/workers.py" line="147"/>
        <source>系统出现故障，请联系窗口工作人员。</source>
        <translation>Something went wrong. Please ask the staff at the counter.</translation>
    </message>
</context>
</TS>
