<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AdvanceDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/ledger_view.py" line="+141"/>
        <source>整改进度：%1 → %2</source>
        <translation>Progress: %1 → %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>做了什么、结果如何（如：新水管已接通，已试水）</source>
        <translation>What was done and the result (e.g. new pipe connected and tested)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>可选：整改前后的照片</source>
        <translation>Optional: a photo before or after</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>选择照片…</source>
        <translation>Choose photo…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>新状态：</source>
        <translation>New status:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>情况说明：</source>
        <translation>Note:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>经办人：</source>
        <translation>Done by:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>佐证照片：</source>
        <translation>Evidence photo:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>选择佐证照片</source>
        <translation>Choose an evidence photo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>图片 (*.jpg *.jpeg *.png)</source>
        <translation>Images (*.jpg *.jpeg *.png)</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../../fieldvisit/qt/dashboard.py" line="+183"/>
        <source>全部村</source>
        <translation>All villages</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>按户类型</source>
        <translation>By household type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按风险颜色</source>
        <translation>By risk colour</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未销号问题（按类别）</source>
        <translation>Open problems by category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>暂无未销号问题</source>
        <translation>No open problems</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+4"/>
        <source>户编号</source>
        <translation>Household no.</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+4"/>
        <source>户主</source>
        <translation>Head</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>户类别</source>
        <translation>Visit interval</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>上次走访</source>
        <translation>Last visit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>应访日期</source>
        <translation>Due on</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>规则</source>
        <translation>Rule</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>概况</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>重新检查</source>
        <translation>Check again</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>数据质量</source>
        <translation>Data quality</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>村：</source>
        <translation>Village:</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>读取失败：%1</source>
        <translation>Could not read: %1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>&lt;b&gt;走访覆盖率&lt;/b&gt;&#x3000;%1 / %2 户（%3%）&#x3000;近 %4 天内完成走访</source>
        <translation>&lt;b&gt;Visit coverage&lt;/b&gt;&#x3000;%1 / %2 households (%3%) visited in the last %4 days</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>&lt;b&gt;本月待访&lt;/b&gt;&#x3000;%n 户（最逾期的在前）</source>
        <translation>
            <numerusform>&lt;b&gt;Due this month&lt;/b&gt;&#x3000;%n household(s), most overdue first</numerusform>
            <numerusform>&lt;b&gt;Due this month&lt;/b&gt;&#x3000;%n household(s), most overdue first</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>红（不放心）</source>
        <translation>Red (worrying)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>黄（基本放心）</source>
        <translation>Yellow (fairly reassuring)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>绿（放心）</source>
        <translation>Green (reassuring)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>从未走访</source>
        <translation>Never visited</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>逾期 %n 天</source>
        <translation>
            <numerusform>%n day(s) overdue</numerusform>
            <numerusform>%n day(s) overdue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n 天后到期</source>
        <translation>
            <numerusform>due in %n day(s)</numerusform>
            <numerusform>due in %n day(s)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>监测（每月）</source>
        <translation>Monitored (monthly)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>其他（每季度）</source>
        <translation>Other (quarterly)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>正在检查数据质量…</source>
        <translation>Checking data quality…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>检查失败：%1</source>
        <translation>Check failed: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>高</source>
        <translation>High</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>中</source>
        <translation>Medium</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>低</source>
        <translation>Low</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 个问题，涉及 %2 户。双击一行可打开该户。</source>
        <translation>%1 problem(s) in %2 household(s). Double-click a row to open the household.</translation>
    </message>
</context>
<context>
    <name>DateWidget</name>
    <message>
        <location filename="../../fieldvisit/qt/question_widgets.py" line="+212"/>
        <source>（未填）</source>
        <translation>(not filled)</translation>
    </message>
</context>
<context>
    <name>HouseholdPanel</name>
    <message>
        <location filename="../../fieldvisit/qt/household_panel.py" line="+108"/>
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
        <location line="+43"/>
        <source>家庭成员</source>
        <translation>Members</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>双击成员可编辑</source>
        <translation>Double-click a member to edit</translation>
    </message>
    <message>
        <location line="+23"/>
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
    <message>
        <location line="+5"/>
        <source>走访记录</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+41"/>
        <source>开始走访</source>
        <translation>Start visit</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>走访干部</source>
        <translation>Cadre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>发现问题</source>
        <translation>Problems found</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>双击一次走访可查看</source>
        <translation>Double-click a visit to view it</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 个</source>
        <translation>%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>继续走访</source>
        <translation>Continue visit</translation>
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
    <name>LedgerModel</name>
    <message>
        <location filename="../../fieldvisit/qt/ledger_view.py" line="-118"/>
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
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>整改期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>责任人</source>
        <translation>Responsible</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>高</source>
        <translation>High</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>中</source>
        <translation>Medium</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>低</source>
        <translation>Low</translation>
    </message>
    <message numerus="yes">
        <location line="+38"/>
        <source>已逾期 %n 天</source>
        <translation>
            <numerusform>%n day(s) overdue</numerusform>
            <numerusform>%n day(s) overdue</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LedgerView</name>
    <message>
        <location line="+116"/>
        <source>全部村</source>
        <translation>All villages</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>未销号</source>
        <translation>Not closed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>只看逾期</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态变化</source>
        <translation>Change</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>经办人</source>
        <translation>Done by</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>照片</source>
        <translation>Photos</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>村：</source>
        <translation>Village:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>类别：</source>
        <translation>Category:</translation>
    </message>
    <message numerus="yes">
        <location line="+78"/>
        <source>共 %n 个问题</source>
        <translation>
            <numerusform>%n problem(s)</numerusform>
            <numerusform>%n problem(s)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>读取台账失败：%1</source>
        <translation>Could not read the ledger: %1</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>开始整改</source>
        <translation>Start rectification</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>整改完成，申请验收</source>
        <translation>Done, request acceptance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>验收通过，销号</source>
        <translation>Accepted, close</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>验收未通过，继续整改</source>
        <translation>Not accepted, continue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>问题复发，重新整改</source>
        <translation>Recurred, reopen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>选择一个问题，查看整改记录并登记进度。</source>
        <translation>Choose a problem to see its history and record progress.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+5"/>
        <source>未定</source>
        <translation>not set</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>整改期限：%1&#x3000;责任人：%2</source>
        <translation>Deadline: %1&#x3000;Responsible: %2</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../fieldvisit/qt/main_window.py" line="+83"/>
        <source>驻村走访 — 花名册</source>
        <translation>FieldVisit — Roster</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>搜索姓名、拼音、身份证号、电话、户编号</source>
        <translation>Search name, pinyin, ID number, phone, household no.</translation>
    </message>
    <message>
        <location line="+54"/>
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
        <location line="+19"/>
        <source>查找：</source>
        <translation>Find:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>户类型：</source>
        <translation>Type:</translation>
    </message>
    <message>
        <location line="+99"/>
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
        <location line="-113"/>
        <source>全部颜色</source>
        <translation>All colours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>红（不放心）</source>
        <translation>Red (of concern)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>黄（基本放心）</source>
        <translation>Yellow (mostly fine)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>绿（放心）</source>
        <translation>Green (fine)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>风险颜色：</source>
        <translation>Risk colour:</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>花名册</source>
        <translation>Roster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>问题整改台账</source>
        <translation>Rectification ledger</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>村情概况</source>
        <translation>Village overview</translation>
    </message>
    <message>
        <location line="+55"/>
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
        <location line="+26"/>
        <source>花名册载入失败：%1</source>
        <translation>The roster could not be loaded: %1</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>显示 %1 户（%2 人），共 %3 户</source>
        <translation>Showing %1 households (%2 persons) of %3</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>保存失败</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>无法开始走访</source>
        <translation>Cannot start the visit</translation>
    </message>
    <message>
        <location line="+48"/>
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
        <location filename="../../fieldvisit/qt/household_panel.py" line="-187"/>
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
    <name>NumberWidget</name>
    <message>
        <location filename="../../fieldvisit/qt/question_widgets.py" line="-39"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>数字</source>
        <translation>Number</translation>
    </message>
</context>
<context>
    <name>PhotoWidget</name>
    <message>
        <location line="+91"/>
        <source>添加照片…</source>
        <translation>Add photo…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>选择照片</source>
        <translation>Choose a photo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>照片 (*.jpg *.jpeg *.png)</source>
        <translation>Photos (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>已添加：%1</source>
        <translation>Added: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>已添加照片</source>
        <translation>Photo added</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>（未添加）</source>
        <translation>(none added)</translation>
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
    <name>QuestionPage</name>
    <message>
        <location filename="../../fieldvisit/qt/visit_wizard.py" line="+154"/>
        <source>必答，尚未回答</source>
        <translation>Required, not answered yet</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>根据前面的回答，本页的题目都不适用，请翻到下一页。</source>
        <translation>Given the answers so far, none of this page&apos;s questions apply; go on to the next page.</translation>
    </message>
</context>
<context>
    <name>RosterModel</name>
    <message>
        <location filename="../../fieldvisit/qt/roster_model.py" line="+55"/>
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
    <message>
        <location line="+1"/>
        <source>风险颜色</source>
        <translation>Risk colour</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>红</source>
        <translation>Red</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>黄</source>
        <translation>Yellow</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>绿</source>
        <translation>Green</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>不放心：有严重或较多未销号问题</source>
        <translation>Worrying: a serious or several open problems</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>基本放心：有未销号问题，或为未消除风险的监测对象</source>
        <translation>Fairly reassuring: an open problem, or monitored with risk not eliminated</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>放心</source>
        <translation>Reassuring</translation>
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
<context>
    <name>VisitWizard</name>
    <message>
        <location filename="../../fieldvisit/qt/visit_wizard.py" line="+79"/>
        <source>走访记录（只读）：%1</source>
        <translation>Visit record (read-only): %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>入户走访：%1</source>
        <translation>Household visit: %1</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>◀ 上一页</source>
        <translation>◀ Previous</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下一页 ▶</source>
        <translation>Next ▶</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>此次走访已完成，记录不能修改；如有错误，请新建更正记录。</source>
        <translation>This visit is completed and cannot be changed; to fix a mistake, record a correction.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>检查表已更新为新版本，以下答案未能带入，请重新填写：</source>
        <translation>The checklists were updated to a new version; these answers could not be carried over, please answer again:</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>完成走访</source>
        <translation>Complete the visit</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>走访干部：</source>
        <translation>Visiting cadre:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>户主签字</source>
        <translation>Signed by the head of household</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>电话确认</source>
        <translation>Confirmed by phone</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>户主确认：</source>
        <translation>Household confirmation:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>确认人：</source>
        <translation>Confirmed by:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>完成走访并生成整改问题</source>
        <translation>Complete the visit and open the problems</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>走访小结</source>
        <translation>Visit summary</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>完成前请和户主一起核对发现的问题。</source>
        <translation>Before completing, go through the problems found with the head of household.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>第 %1 / %2 页</source>
        <translation>Page %1 of %2</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>保存失败：%1</source>
        <translation>Saving failed: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>已自动保存</source>
        <translation>Saved automatically</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>发现的问题</source>
        <translation>Problems found</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>高</source>
        <translation>High</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>中</source>
        <translation>Medium</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>低</source>
        <translation>Low</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>没有发现问题</source>
        <translation>No problems found</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>建议纳入监测对象：%1</source>
        <translation>Suggested for monitoring: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>尚未回答的必答题</source>
        <translation>Required questions not answered</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>……还有 %1 道，点上面的题目可翻到所在页</source>
        <translation>…and %1 more; click a question above to go to its page</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>需要改正的回答</source>
        <translation>Answers to correct</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>还有 %1 道必答题未回答，仍然完成走访</source>
        <translation>%1 required questions are not answered; complete the visit anyway</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>更正原因（必填），如：水量记错</source>
        <translation>Reason for the correction (required), e.g. wrong water amount</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新建更正记录</source>
        <translation>New correction</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>已于 %1 完成走访。走访干部：%2；户主确认：%3（%4）</source>
        <translation>Visit completed on %1. Cadre: %2; household confirmation: %3 (%4)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>有 %1 个回答不符合要求，请先改正。</source>
        <translation>%1 answers do not meet their requirements; correct them first.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>还有必答题未回答：请补上，或勾选“仍然完成走访”。</source>
        <translation>Some required questions are not answered: answer them, or tick &quot;complete the visit anyway&quot;.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请填写走访干部姓名。</source>
        <translation>Enter the visiting cadre&apos;s name.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请选择户主确认方式：户主签字或电话确认。</source>
        <translation>Choose how the household confirmed: signed by the head of household or confirmed by phone.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请填写确认人姓名。</source>
        <translation>Enter the name of who confirmed.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>走访已完成，新开 %1 个整改问题。</source>
        <translation>Visit completed; %1 problems opened for rectification.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（已完成）</source>
        <translation> (completed)</translation>
    </message>
</context>
<context>
    <name>YesNoWidget</name>
    <message>
        <location filename="../../fieldvisit/qt/question_widgets.py" line="-215"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>否</source>
        <translation>No</translation>
    </message>
</context>
</TS>
