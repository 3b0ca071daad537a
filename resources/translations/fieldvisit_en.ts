<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>HouseholdPanel</name>
    <message>
        <location filename="../../fieldvisit/qt/household_panel.py" line="+88"/>
        <source>户基本情况</source>
        <translation>Household</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>户编号</source>
        <translation>Household no.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>户类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>风险类型</source>
        <translation>Risk types</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>帮扶责任人</source>
        <translation>Helper</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>责任人电话</source>
        <translation>Helper&apos;s phone</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>：</source>
        <translation>:</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>编辑成员…</source>
        <translation>Edit member…</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+38"/>
        <source>家庭成员</source>
        <translation>Members</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>双击成员可编辑</source>
        <translation>Double-click a member to edit</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>（请在花名册中选择一户）</source>
        <translation>(choose a household in the roster)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未落实</source>
        <translation>not assigned</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>家庭成员（%n 人）</source>
        <translation>
            <numerusform>Members (%n person)</numerusform>
            <numerusform>Members (%n persons)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/import_dialog.py" line="+108"/>
        <source>导入花名册</source>
        <translation>Import roster</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>选择县里导出的花名册（.xlsx、.xls 或 .csv）</source>
        <translation>Choose the roster exported by the county (.xlsx, .xls or .csv)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>按文件中的行政村</source>
        <translation>Villages as given in the file</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>检查文件</source>
        <translation>Check file</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>文件：</source>
        <translation>File:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>导入到：</source>
        <translation>Import into:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>请选择文件，然后点“检查文件”。检查不会改动任何数据。</source>
        <translation>Choose a file, then click “Check file”. Checking changes no data.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>导入有效户</source>
        <translation>Import valid households</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+129"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="-96"/>
        <source>正在读取并检查“%1”…</source>
        <translation>Reading and checking “%1”…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>正在导入有效户…</source>
        <translation>Importing the valid households…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>检查完成。下表列出每个问题（行号为 Excel 中的行号）；有错误的户不会导入。</source>
        <translation>Check finished. Each problem is listed below (row numbers as Excel shows them); households with errors will not be imported.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>导入完成：%1</source>
        <translation>Import finished: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>出错了：%1</source>
        <translation>Something went wrong: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已取消，没有写入任何数据。</source>
        <translation>Cancelled; no data was written.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>选择花名册文件</source>
        <translation>Choose a roster file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>花名册 (*.xlsx *.xls *.csv);;所有文件 (*)</source>
        <translation>Rosters (*.xlsx *.xls *.csv);;All files (*)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>文件或目标村已更改，请重新检查。</source>
        <translation>The file or the target village changed: check the file again.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>新建 %1 户（%2 人），更新 %3 户；%4 户因错误未导入。</source>
        <translation>%1 households created (%2 persons), %3 updated; %4 not imported because of errors.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../fieldvisit/qt/main_window.py" line="+73"/>
        <source>驻村走访 — 花名册</source>
        <translation>FieldVisit — Roster</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>搜索姓名、拼音、身份证号、电话、户编号</source>
        <translation>Search name, pinyin, ID number, phone, household no.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>全部户类型</source>
        <translation>All types</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>脱贫户</source>
        <translation>Lifted out of poverty (脱贫户)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>监测对象（全部）</source>
        <translation>Monitored (all kinds)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>一般户</source>
        <translation>Ordinary (一般户)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>查找：</source>
        <translation>Find:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>户类型：</source>
        <translation>Type:</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="-8"/>
        <location line="+9"/>
        <source>导入花名册…</source>
        <translation>Import roster…</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>&lt;h3&gt;还没有花名册&lt;/h3&gt;&lt;p&gt;请导入县里从防返贫监测系统导出的花名册（xlsx 或 csv 文件）。&lt;br&gt;导入前会先检查每一行，列出问题，确认后才写入。&lt;/p&gt;</source>
        <translation>&lt;h3&gt;No roster yet&lt;/h3&gt;&lt;p&gt;Import the roster your county exported from the monitoring system (an xlsx or csv file).&lt;br&gt;Every row is checked first and the problems listed; nothing is written until you confirm.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>语言 / Language</source>
        <translation>Language / 语言</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>正在载入花名册…</source>
        <translation>Loading the roster…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>花名册载入失败：%1</source>
        <translation>The roster could not be loaded: %1</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>显示 %1 户（%2 人），共 %3 户</source>
        <translation>Showing %1 households (%2 persons) of %3</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>保存失败</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>&lt;h3&gt;驻村走访 FieldVisit %1&lt;/h3&gt;&lt;p&gt;离线使用的驻村走访与防返贫监测工具。&lt;/p&gt;&lt;p&gt;字体：Droid Sans Fallback（Apache 2.0 许可）&lt;/p&gt;</source>
        <translation>&lt;h3&gt;FieldVisit 驻村走访 %1&lt;/h3&gt;&lt;p&gt;Offline field visits and anti-relapse monitoring for village work teams.&lt;/p&gt;&lt;p&gt;Font: Droid Sans Fallback (Apache 2.0 licence)&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>关于驻村走访</source>
        <translation>About FieldVisit</translation>
    </message>
</context>
<context>
    <name>MemberDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/member_dialog.py" line="+48"/>
        <source>编辑成员：%1</source>
        <translation>Edit member: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>与户主关系</source>
        <translation>Relation to head</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>文化程度</source>
        <translation>Education</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>在校生状况</source>
        <translation>Schooling</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>健康状况</source>
        <translation>Health</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>劳动技能</source>
        <translation>Labour capacity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>：</source>
        <translation>:</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>（未填）</source>
        <translation>(not given)</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>请先改正红色标出的错误</source>
        <translation>Correct the errors marked in red first</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>性别由身份证号第 17 位决定</source>
        <translation>The sex follows the 17th digit of the ID number</translation>
    </message>
</context>
<context>
    <name>MembersModel</name>
    <message>
        <location filename="../../fieldvisit/qt/household_panel.py" line="-120"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>与户主关系</source>
        <translation>Relation to head</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>年龄</source>
        <translation>Age</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>健康状况</source>
        <translation>Health</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>在校生状况</source>
        <translation>Schooling</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>劳动技能</source>
        <translation>Labour capacity</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
</context>
<context>
    <name>ProblemsModel</name>
    <message>
        <location filename="../../fieldvisit/qt/import_dialog.py" line="-278"/>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>户编号</source>
        <translation>Household no.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>值</source>
        <translation>Value</translation>
    </message>
</context>
<context>
    <name>RosterModel</name>
    <message>
        <location filename="../../fieldvisit/qt/roster_model.py" line="+47"/>
        <source>户编号</source>
        <translation>Household no.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>户主</source>
        <translation>Head</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>人数</source>
        <translation>Persons</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>户类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>风险类型</source>
        <translation>Risk types</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>帮扶责任人</source>
        <translation>Helper</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
</context>
<context>
    <name>VillageTree</name>
    <message numerus="yes">
        <location filename="../../fieldvisit/qt/village_tree.py" line="+39"/>
        <source>全部（%n 户）</source>
        <translation>
            <numerusform>All (%n household)</numerusform>
            <numerusform>All (%n households)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <location line="+8"/>
        <source>%1（%n 户）</source>
        <translation>
            <numerusform>%1 (%n)</numerusform>
            <numerusform>%1 (%n)</numerusform>
        </translation>
    </message>
</context>
</TS>
