<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AdvanceDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/ledger_view.py" line="+140"/>
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
    <name>BatchDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/print_batch.py" line="+62"/>
        <source>批量打印明白卡</source>
        <translation>Print household cards in bulk</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>打印范围</source>
        <translation>What to print</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>整个行政村：</source>
        <translation>Whole village:</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%1（%n 户）</source>
        <translation>
            <numerusform>%1 (%n household)</numerusform>
            <numerusform>%1 (%n households)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>所选村民小组：%1（%n 户）</source>
        <translation>
            <numerusform>Selected village group: %1 (%n household)</numerusform>
            <numerusform>Selected village group: %1 (%n households)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>所选村民小组（请先在左侧选择一个小组）</source>
        <translation>Selected village group (first choose a group on the left)</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>花名册当前显示的农户（按查找和筛选，%n 户）</source>
        <translation>
            <numerusform>Households now shown in the roster (after search and filters, %n household)</numerusform>
            <numerusform>Households now shown in the roster (after search and filters, %n households)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+20"/>
        <source>选项</source>
        <translation>Options</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A4</source>
        <translation>A4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A5（半张 A4）</source>
        <translation>A5 (half an A4 sheet)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>完整打印身份证号和联系电话（默认只印部分号码）</source>
        <translation>Print full ID and phone numbers (by default only part of each number is printed)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>⚠ 完整的身份证号和电话属于个人隐私：打印件只交给本户并妥善保管，不得张贴或外传。</source>
        <translation>⚠ Full ID and phone numbers are private: give the printout only to the household itself and keep it safe; never post it up or pass it on.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>纸张：</source>
        <translation>Paper:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>输出</source>
        <translation>Output</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>合并为一个 PDF 文件（便于一次打印）：</source>
        <translation>One PDF file for all (easy to print in one go):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>每户一个 PDF 文件，存入文件夹：</source>
        <translation>One PDF file per household, in the folder:</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+2"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>文件名为“户编号_户主姓名.pdf”，同名文件会被替换。</source>
        <translation>Files are named “household number_household head.pdf”; a file with the same name is replaced.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>打开预览</source>
        <translation>Open preview</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>开始生成</source>
        <translation>Generate</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>所选范围内没有农户。</source>
        <translation>There are no households in this selection.</translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>正在生成 %n 户的明白卡…</source>
        <translation>
            <numerusform>Generating the household card for %n household…</numerusform>
            <numerusform>Generating household cards for %n households…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%v / %m 户</source>
        <translation>%v / %m households</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>已生成 %1 户的明白卡，共 %2 页，保存在：
%3</source>
        <translation>Household cards generated for %1 household(s), %2 page(s) in all, saved to:
%3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已生成 %1 个文件（每户一个），保存在文件夹：
%2</source>
        <translation>%1 file(s) generated (one per household), saved in the folder:
%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已取消：已生成 %1 个文件（共 %2 户），保存在文件夹：
%3
其余农户没有生成。</source>
        <translation>Cancelled: %1 of %2 household files were generated, saved in the folder:
%3
The other households were not generated.</translation>
    </message>
    <message>
        <location line="-164"/>
        <source>已取消，没有生成文件（原有同名文件保持不变）。</source>
        <translation>Cancelled; no file was generated (existing files with the same name are unchanged).</translation>
    </message>
    <message>
        <location line="+179"/>
        <source>明白卡预览</source>
        <translation>Household card preview</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>保存明白卡</source>
        <translation>Save household cards</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>选择文件夹</source>
        <translation>Choose a folder</translation>
    </message>
</context>
<context>
    <name>CadreDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/account.py" line="+66"/>
        <source>添加干部</source>
        <translation>Add a cadre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>更改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>干部姓名</source>
        <translation>Cadre&apos;s name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>手机号</source>
        <translation>Mobile phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>再输一遍</source>
        <translation>Repeat it</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>两次输入的密码不一样</source>
        <translation>The two passwords differ</translation>
    </message>
</context>
<context>
    <name>CadreForm</name>
    <message>
        <location filename="../../fieldvisit/qt/login_dialog.py" line="+59"/>
        <source>干部姓名</source>
        <translation>Cadre&apos;s name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>手机号</source>
        <translation>Mobile phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>再输一遍</source>
        <translation>Repeat it</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>请填写干部姓名</source>
        <translation>Enter the cadre&apos;s name</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>两次输入的密码不一样</source>
        <translation>The two passwords differ</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>密码强度可以</source>
        <translation>The password is strong enough</translation>
    </message>
</context>
<context>
    <name>CadrePage</name>
    <message>
        <location filename="../../fieldvisit/qt/first_run.py" line="+277"/>
        <source>使用本机的干部</source>
        <translation>The cadre using this laptop</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本机的数据将加密保存，登录时要输入这个密码。</source>
        <translation>This laptop&apos;s data is kept encrypted; logging in asks for this password.</translation>
    </message>
</context>
<context>
    <name>CaseDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/case_dialogs.py" line="+66"/>
        <source>纳入监测</source>
        <translation>Entry into monitoring</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>风险消除</source>
        <translation>Risk elimination</translation>
    </message>
</context>
<context>
    <name>CasePanel</name>
    <message>
        <location filename="../../fieldvisit/qt/case_panel.py" line="+78"/>
        <source>程序 / 步骤</source>
        <translation>Case / step</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>办理人</source>
        <translation>By</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>立案…</source>
        <translation>Open a case…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>确认立案</source>
        <translation>Accept proposal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不立案…</source>
        <translation>Decline…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+179"/>
        <source>办理下一步…</source>
        <translation>Next step…</translation>
    </message>
    <message>
        <location line="-177"/>
        <source>申请风险消除…</source>
        <translation>Risk elimination…</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>县里办理</source>
        <translation>County</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>待办理</source>
        <translation>To do</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>农户已签授权书</source>
        <translation>authorisation signed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>参会 %1 人</source>
        <translation>%1 attended</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>公示 %1 至 %2</source>
        <translation>publicised %1 to %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>异议：%1</source>
        <translation>objections: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>由乡镇、县里在县服务器上办理，结果随回执包回到本机</source>
        <translation>Done by the township and the county on the county server; the result comes back in the return bundle</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>办理：%1…</source>
        <translation>Record %1…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“%1”%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>本户没有监测程序。</source>
        <translation>This household has no monitoring case.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1：%2（%3）</source>
        <translation>%1: %2 (%3)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>下一步：%1</source>
        <translation>Next step: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&#x3000;应办结：%1</source>
        <translation>   due by %1</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>已逾期 %n 天</source>
        <translation>
            <numerusform>%n day overdue</numerusform>
            <numerusform>%n days overdue</numerusform>
        </translation>
    </message>
    <message>
        <location line="+25"/>
        <source>户 %1</source>
        <translation>Household %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>户主：%1</source>
        <translation>head: %1</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>现在不能申请风险消除：</source>
        <translation>Risk elimination cannot start now:</translation>
    </message>
</context>
<context>
    <name>CasesModel</name>
    <message>
        <location filename="../../fieldvisit/qt/cases_view.py" line="+51"/>
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
        <source>程序</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>线索来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当前进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>下一步</source>
        <translation>Next step</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>立案日期</source>
        <translation>Opened</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>应办结</source>
        <translation>Due by</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1（县里办理）</source>
        <translation>%1 (county)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>已办：%1</source>
        <translation>done: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>已逾期 %n 天</source>
        <translation>
            <numerusform>%n day overdue</numerusform>
            <numerusform>%n days overdue</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>由乡镇、县里在县服务器上办理，结果随回执包回到本机</source>
        <translation>Done by the township and the county on the county server; the result comes back in the return bundle</translation>
    </message>
</context>
<context>
    <name>CasesView</name>
    <message>
        <location line="+23"/>
        <source>全部村</source>
        <translation>All villages</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>只看逾期</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>双击一户，在它的“监测”页办理下一步。乡镇审核、县级审批由乡镇、县里办理，结果随回执包回到本机。</source>
        <translation>Double-click a household to do its next step on its Monitoring tab. 乡镇审核 and 县级审批 are done by the township and the county; the result comes back in the return bundle.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>村：</source>
        <translation>Village:</translation>
    </message>
    <message numerus="yes">
        <location line="+42"/>
        <source>未办结 %n 件</source>
        <translation>
            <numerusform>%n open case</numerusform>
            <numerusform>%n open cases</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>，其中逾期 %n 件</source>
        <translation>
            <numerusform>, %n overdue</numerusform>
            <numerusform>, %n overdue</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChangeDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/population_dialog.py" line="+100"/>
        <source>：</source>
        <translation>:</translation>
    </message>
</context>
<context>
    <name>ChoicePage</name>
    <message>
        <location filename="../../fieldvisit/qt/first_run.py" line="-168"/>
        <source>欢迎使用驻村走访</source>
        <translation>Welcome to FieldVisit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本机还没有数据。请选择怎样开始：</source>
        <translation>This laptop holds no data yet. Choose how to start:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>从U盘注册</source>
        <translation>Enroll from a USB stick</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>县里发了注册文件（.fve）和激活码：插入U盘，本机注册到县里，村和花名册随之而来。</source>
        <translation>The county gave you an enrollment file (.fve) and an activation code: insert the stick; the laptop enrolls with the county and receives the village and its roster.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>独立使用</source>
        <translation>Use on its own</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>暂不注册到县里：填写本村的代码和名称，再导入花名册。</source>
        <translation>Not enrolled with a county for now: enter the village&apos;s code and name, then import a roster.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>演示</source>
        <translation>Demo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>先看看：打开一个虚构的演示村（人员都是编的），本机的数据目录保持为空。</source>
        <translation>Just look around: open an invented demo village (all people are made up); this laptop&apos;s data folder stays empty.</translation>
    </message>
</context>
<context>
    <name>Cover</name>
    <message>
        <location filename="../../fieldvisit/qt/lock.py" line="+49"/>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{name}，请输入密码解锁</source>
        <translation>{name}, enter your password to unlock</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../../fieldvisit/qt/dashboard.py" line="+153"/>
        <source>全部村</source>
        <translation>All villages</translation>
    </message>
    <message>
        <location line="+9"/>
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
        <location line="+7"/>
        <source>户编号</source>
        <translation>Household no.</translation>
    </message>
    <message>
        <location line="-7"/>
        <location line="+7"/>
        <source>户主</source>
        <translation>Head</translation>
    </message>
    <message>
        <location line="-7"/>
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
        <location line="+6"/>
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
        <location line="+50"/>
        <source>概况</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>核实无误…</source>
        <translation>Checked and right…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>选中的问题经核实登记无误：写明核实情况后不再计入</source>
        <translation>The chosen problem was checked and the record is right: say what was checked and it is no longer counted</translation>
    </message>
    <message>
        <location line="+6"/>
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
        <location line="+36"/>
        <source>读取失败：%1</source>
        <translation>Could not read: %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 %2 / %3</source>
        <translation>%1 %2 / %3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;走访覆盖率&lt;/b&gt;&#x3000;%1 / %2 户（%3%）按户类别要求已访&#x3000;%4&lt;br&gt;&lt;b&gt;遍访率&lt;/b&gt;&#x3000;%5 户（%6%）本年由村支书、第一书记遍访</source>
        <translation>&lt;b&gt;Visit coverage&lt;/b&gt;&#x3000;%1 / %2 households (%3%) visited as their status requires&#x3000;%4&lt;br&gt;&lt;b&gt;遍访 rate&lt;/b&gt;&#x3000;%5 households (%6%) visited this year by the village secretary or 第一书记</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>%1 入户</source>
        <translation>%1 in person</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>另有 %1 个经核实无误（灰色），不计入。</source>
        <translation> %1 more checked and found right (grey), not counted.</translation>
    </message>
    <message numerus="yes">
        <location line="-110"/>
        <source>&lt;b&gt;本月待访&lt;/b&gt;&#x3000;%n 户（最逾期的在前）</source>
        <translation>
            <numerusform>&lt;b&gt;Due this month&lt;/b&gt;&#x3000;%n household(s), most overdue first</numerusform>
            <numerusform>&lt;b&gt;Due this month&lt;/b&gt;&#x3000;%n household(s), most overdue first</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>监测对象</source>
        <translation>Monitored (监测对象)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>脱贫户</source>
        <translation>Lifted out of poverty (脱贫户)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>一般农户</source>
        <translation>Ordinary (一般农户)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>每年集中排查（%1月底前）</source>
        <translation>yearly screening (集中排查) by the end of month %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1联系、%2入户</source>
        <translation>contact %1, in person %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>每年排查</source>
        <translation>yearly screening</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>每月</source>
        <translation>monthly</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>每季度</source>
        <translation>quarterly</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>每 %n 天</source>
        <translation>
            <numerusform>every %n day</numerusform>
            <numerusform>every %n days</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
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
        <location line="+22"/>
        <source>正在检查数据质量…</source>
        <translation>Checking data quality…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>检查失败：%1</source>
        <translation>Check failed: %1</translation>
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
        <location line="+12"/>
        <source>已核实</source>
        <translation>Checked</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1（核实无误：%2，%3 %4）</source>
        <translation>%1 (checked and right: %2, %3 %4)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 个问题，涉及 %2 户。双击一行可打开该户。</source>
        <translation>%1 problem(s) in %2 household(s). Double-click a row to open the household.</translation>
    </message>
</context>
<context>
    <name>DateWidget</name>
    <message>
        <location filename="../../fieldvisit/qt/question_widgets.py" line="+213"/>
        <source>（未填）</source>
        <translation>(not filled)</translation>
    </message>
</context>
<context>
    <name>DeclineDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/case_dialogs.py" line="+135"/>
        <source>不立案</source>
        <translation>Decline the proposal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>如：核实后家庭收入稳定，没有返贫风险</source>
        <translation>e.g. checked: the income is stable, no risk of poverty</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不立案原因：</source>
        <translation>Reason:</translation>
    </message>
</context>
<context>
    <name>DemoPage</name>
    <message>
        <location filename="../../fieldvisit/qt/first_run.py" line="+167"/>
        <source>演示</source>
        <translation>Demo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>演示村的农户和人员都是虚构的，可以随意试用。</source>
        <translation>The demo village&apos;s households and people are invented: try anything.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>演示村保存在单独的文件夹里，不会写入本机的数据目录。试完后关闭程序，下次打开时仍会显示这个向导，可以再选择“从U盘注册”或“独立使用”。

生成演示村需要几秒钟。</source>
        <translation>The demo village is kept in a folder of its own, not in this laptop&apos;s data folder. Close the app when done: next time this wizard shows again, and you can choose “Enroll from a USB stick” or “Use on its own”.

Making the demo village takes a few seconds.</translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/diagnostics_dialog.py" line="+39"/>
        <location line="+29"/>
        <source>导出诊断信息</source>
        <translation>Export diagnostics</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>诊断信息包括错误记录、软件版本、数据库版本和各表的条数，不含姓名、身份证号、电话和走访答案。请把文件交给县里的管理员。</source>
        <translation>The diagnostics hold the error log, the software versions, the database version and each table&apos;s row count; no names, ID numbers, phones or visit answers. Give the file to the county&apos;s administrator.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>正在写出诊断信息…</source>
        <translation>Writing the diagnostics…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>诊断信息已写出：%1</source>
        <translation>Diagnostics written: %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>诊断信息 (*.zip)</source>
        <translation>Diagnostics (*.zip)</translation>
    </message>
</context>
<context>
    <name>DialogParts</name>
    <message>
        <location filename="../../fieldvisit/qt/dialog_parts.py" line="+30"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>DismissDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/dismiss_dialog.py" line="+32"/>
        <source>核实无误</source>
        <translation>Checked and right</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>核实后确认登记无误的，写明核实情况；此问题仍会列出（灰色），但不再计入数据质量问题。</source>
        <translation>When a check shows the record is right, say what was checked; the problem stays listed (grey) but is no longer counted.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>如：已查看户口本，出生日期属实</source>
        <translation>e.g. saw the household register, the birth date is right</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>核实情况：</source>
        <translation>What was checked:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>核实人：</source>
        <translation>Checked by:</translation>
    </message>
</context>
<context>
    <name>EliminationDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/case_dialogs.py" line="+124"/>
        <source>申请风险消除</source>
        <translation>Risk elimination</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>如：务工收入稳定，医疗费用已报销</source>
        <translation>e.g. steady wages, medical costs reimbursed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>说明：</source>
        <translation>Note:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>收入、三保障和饮水、劳动能力的规则都已满足，可以启动风险消除程序：%1</source>
        <translation>The rules on income, the three guarantees and water, and labour capacity are met: the risk elimination procedure can start: %1</translation>
    </message>
</context>
<context>
    <name>EndDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/measures_view.py" line="+181"/>
        <source>结束措施：%1</source>
        <translation>End measure: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>结束后不再打印在明白卡上，仍保留在帮扶记录中。</source>
        <translation>Once ended, it is no longer printed on the household card but stays in the support record.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>结束日期：</source>
        <translation>End date:</translation>
    </message>
</context>
<context>
    <name>EnrollDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/sync_dialog.py" line="+376"/>
        <source>注册到县里</source>
        <translation>Enroll with the county</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>县里为本机生成注册文件（.fve）后，会电话告知 16 位激活码。选择注册文件、输入激活码，然后点“注册”。注册后本机会收到本村的花名册，以后的修改通过 U 盘上的同步包交给县里。</source>
        <translation>When the county has made an enrollment file (.fve) for this computer, they will phone you the 16-character activation code. Choose the enrollment file, enter the activation code, then click “Enroll”. Once enrolled, this computer receives the village roster; from then on, changes go to the county in sync bundles on a USB stick.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>县里发的注册文件（.fve）</source>
        <translation>Enrollment file from the county (.fve)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>激活码由数字 2–9 和字母组成（没有 0、1、I、O），不分大小写，短横线可不输。</source>
        <translation>The activation code uses the digits 2–9 and letters (no 0, 1, I or O); case does not matter and the dashes are optional.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>注册文件：</source>
        <translation>Enrollment file:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>激活码：</source>
        <translation>Activation code:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>注册</source>
        <translation>Enroll</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+61"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>本机已经注册：%1</source>
        <translation>This computer is already enrolled: %1</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>正在核对激活码并载入本村花名册…</source>
        <translation>Checking the activation code and loading the village roster…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>注册完成。</source>
        <translation>Enrollment complete.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本机已注册到 %1，设备编号 %2；本村花名册已载入，共 %3 户。

下一步：照常走访、修改；需要交给县里时，用“同步 → 导出同步包…”写到 U 盘。县里收到本机第一个同步包后，本机即激活。</source>
        <translation>This computer is enrolled with %1 as device %2; the village roster is loaded, %3 household(s).

Next: visit and edit as usual; when it is time to hand over to the county, use “Sync → Export sync bundle…” to write to a USB stick. This computer is activated once the county receives its first sync bundle.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>选择注册文件</source>
        <translation>Choose the enrollment file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>注册文件 (*.fve);;所有文件 (*)</source>
        <translation>Enrollment files (*.fve);;All files (*)</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../../fieldvisit/qt/app.py" line="+101"/>
        <source>程序出了意外的错误，刚才的操作可能没有完成。

已经保存的内容都还在：走访的每个答案在填写时就已保存。

请这样做：关闭程序后重新打开，再试一次；如果又出现，请点 帮助 → 导出诊断信息…，把导出的文件交给县里的管理员。</source>
        <translation>An unexpected error occurred; the last action may not have finished.

Everything saved is kept: each visit answer is saved as it is entered.

What to do: close the app, open it again and retry; if it happens again, use Help → Export diagnostics… and give the file to the county&apos;s administrator.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>An unexpected error occurred; the last action may not have finished. Everything saved is kept: each visit answer is saved as it is entered. Close and reopen the app and try again; if it happens again, use 帮助 → 导出诊断信息… (Help → Export diagnostics) and send the file to the county&apos;s administrator. The details are in %1.</source>
        <translation>The details are in %1.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/sync_dialog.py" line="+17"/>
        <location line="+26"/>
        <location line="+122"/>
        <source>导出同步包</source>
        <translation>Export sync bundle</translation>
    </message>
    <message>
        <location line="-141"/>
        <source>同步包里有本机所有县里还没确认的修改和照片，已签名并加密，只有县里能打开。</source>
        <translation>The sync bundle holds every change and photo on this computer the county has not yet confirmed; it is signed and encrypted so only the county can open it.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>写到哪里</source>
        <translation>Write to</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>选择其他文件夹…</source>
        <translation>Choose another folder…</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+124"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="-118"/>
        <source>本机还没有注册到县里，所以还不能导出同步包。单机使用不受影响；要与县里同步，请先用县里发的注册文件（.fve）和电话告知的激活码注册。</source>
        <translation>This computer is not enrolled with the county yet, so it cannot export a sync bundle. Working on this computer alone is not affected; to sync with the county, first enroll with the enrollment file (.fve) from the county and the activation code they phoned you.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>没有找到 U 盘。请插入 U 盘后点“刷新”，或点“导出到文件夹…”先存到电脑上，以后再复制到 U 盘。</source>
        <translation>No USB stick found. Insert one and click “Refresh”, or click “Export to a folder…” to save the bundle on this computer and copy it to a stick later.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>文件夹 %1（剩余 %2）</source>
        <translation>Folder %1 (%2 free)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>U 盘 %1 — %2（剩余 %3）</source>
        <translation>USB stick %1 — %2 (%3 free)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>正在写入同步包到 %1 …</source>
        <translation>Writing the sync bundle to %1…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>正在读回校验写入的文件…</source>
        <translation>Reading the file back to verify it…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>导出完成，已校验。</source>
        <translation>Export complete and verified.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>同步包已写入 U 盘 %1（%2）：
%3</source>
        <translation>The sync bundle was written to USB stick %1 (%2):
%3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请安全弹出 U 盘，交到乡镇/县里导入；县里返回回执包后，用“同步 → 导入回执包…”导入。</source>
        <translation>Safely eject the USB stick and take it to the township or county to import; when the county gives you a return bundle, import it with “Sync → Import return bundle…”.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>同步包已写入文件夹 %1：
%2</source>
        <translation>The sync bundle was written to the folder %1:
%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请把这个文件复制到 U 盘，交到乡镇/县里导入；县里返回回执包后，用“同步 → 导入回执包…”导入。</source>
        <translation>Copy this file to a USB stick and take it to the township or county to import; when the county gives you a return bundle, import it with “Sync → Import return bundle…”.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>共 %1 条修改、%2 张照片；文件已读回校验无误（SHA-256 %3…）。</source>
        <translation>%1 change(s) and %2 photo(s); the file was read back and verified (SHA-256 %3…).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>这是本机交给县里的第一个同步包：县里导入后，本机即激活。</source>
        <translation>This is the first sync bundle from this computer: it is activated once the county imports it.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本机现有 %1 条修改待县里确认；县里导入后返回的回执包会确认它们。</source>
        <translation>%1 change(s) on this computer await confirmation by the county; the return bundle the county sends back after importing will confirm them.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>导出到文件夹…</source>
        <translation>Export to a folder…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>选择保存同步包的文件夹</source>
        <translation>Choose the folder for the sync bundle</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../fieldvisit/qt/first_run.py" line="+20"/>
        <source>FieldVisit 驻村走访 — 开始使用</source>
        <translation>FieldVisit — Getting started</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>开始使用</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../fieldvisit/qt/household_panel.py" line="+91"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>经办人</source>
        <translation>Done by</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>内容</source>
        <translation>Change</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>县里同步</source>
        <translation>From the county</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>本机</source>
        <translation>This laptop</translation>
    </message>
</context>
<context>
    <name>HouseholdDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/household_dialog.py" line="+47"/>
        <source>编辑本户：%1</source>
        <translation>Edit household: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>家庭住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>帮扶责任人</source>
        <translation>Helper</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>帮扶单位</source>
        <translation>Helper&apos;s unit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>责任人电话</source>
        <translation>Helper&apos;s phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>致贫原因</source>
        <translation>Cause of poverty</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>国家系统中的户类型；与是否监测对象分开记录</source>
        <translation>The household type in the national system; kept apart from monitoring</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>户类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>脱贫户当年的致贫原因，如：因病</source>
        <translation>Why a 脱贫户 was poor at the time, e.g. 因病 (illness)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>备注会同步到县里：请勿填写银行卡号、存折号等账户信息</source>
        <translation>Notes are synced to the county: never write bank card, passbook or other account numbers</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>由监测程序（识别纳入、风险消除）决定，在“监测”页办理，不能在这里修改</source>
        <translation>Decided by the monitoring procedure (identification, risk elimination); handled in the Monitoring tab, not here</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>监测信息（只读）</source>
        <translation>Monitoring (read-only)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>是否监测对象</source>
        <translation>Monitored</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>监测对象类别</source>
        <translation>Monitoring category</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>风险类型</source>
        <translation>Risk types</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>识别时间</source>
        <translation>Identified on</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+11"/>
        <source>未填</source>
        <translation>not given</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>风险是否消除</source>
        <translation>Risk eliminated</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>：</source>
        <translation>:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>否</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>HouseholdPanel</name>
    <message>
        <location filename="../../fieldvisit/qt/household_panel.py" line="+77"/>
        <source>户基本情况</source>
        <translation>Household</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>户编号</source>
        <translation>Household no.</translation>
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
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+11"/>
        <source>：</source>
        <translation>:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>打印明白卡…</source>
        <translation>Print card…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>编辑本户…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>编辑成员…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location line="+36"/>
        <location line="+173"/>
        <source>家庭成员</source>
        <translation>Members</translation>
    </message>
    <message>
        <location line="-185"/>
        <location line="+1"/>
        <source>双击成员可编辑</source>
        <translation>Double-click to edit</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>新增人口…</source>
        <translation>Add person…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>人口减少…</source>
        <translation>Person left…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>分户…</source>
        <translation>Split…</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>合户…</source>
        <translation>Merge…</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>把本户并入同村的另一户</source>
        <translation>Merge this household into another one of the village</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>帮扶措施</source>
        <translation>Support measures</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>监测</source>
        <translation>Monitoring</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>历史记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>致贫原因：%1</source>
        <translation>cause of poverty: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>（请在花名册中选择一户）</source>
        <translation>(choose a household in the roster)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未落实</source>
        <translation>not assigned</translation>
    </message>
    <message numerus="yes">
        <location line="+141"/>
        <source>家庭成员（%n 人）</source>
        <translation>
            <numerusform>Members (%n person)</numerusform>
            <numerusform>Members (%n persons)</numerusform>
        </translation>
    </message>
    <message>
        <location line="-169"/>
        <location line="+110"/>
        <source>走访记录</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location line="-210"/>
        <source>户类别</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+156"/>
        <location line="+56"/>
        <source>开始走访</source>
        <translation>Start visit</translation>
    </message>
    <message>
        <location line="-48"/>
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
        <source>走访类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>户主确认</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>发现问题</source>
        <translation>Problems</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>双击一次走访可查看</source>
        <translation>Double-click a visit to view it</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>打印走访记录…</source>
        <translation>Print visit record…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 个</source>
        <translation>%1</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>走访记录（%n 次）</source>
        <translation>
            <numerusform>Visits (%n)</numerusform>
            <numerusform>Visits (%n)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>继续走访</source>
        <translation>Continue visit</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/import_dialog.py" line="+114"/>
        <source>导入花名册</source>
        <translation>Import roster</translation>
    </message>
    <message>
        <location line="+7"/>
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
        <location line="+7"/>
        <source>请选择文件，然后点“检查文件”。检查不会改动任何数据。</source>
        <translation>Choose a file, then click “Check file”. Checking changes no data.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>导入有效户</source>
        <translation>Import valid households</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+115"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="-81"/>
        <source>正在读取并检查“%1”…</source>
        <translation>Reading and checking “%1”…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>正在导入有效户…</source>
        <translation>Importing the valid households…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>同时执行以上 %1 户换村（不勾选则这些户留在原村）</source>
        <translation>Also move the %1 households listed above to their new village (unticked, they stay where they are)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>检查完成。下表列出每个问题（行号为 Excel 中的行号）；有错误的户不会导入。</source>
        <translation>Check finished. Each problem is listed below (row numbers as Excel shows them); households with errors will not be imported.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>点表中的一行，可在这里看到该问题的全文。</source>
        <translation>Click a row of the table to read that problem in full here.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>导入完成：%1</source>
        <translation>Import finished: %1</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>……还有 %1 户换村未列出（命令行 roster import --dry-run 可列出全部）</source>
        <translation>…and %1 more households changing village (the command line&apos;s roster import --dry-run lists them all)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>新建 %1 户（%2 人），更新 %3 户；未导入 %4 户、%5 人。</source>
        <translation>%1 households created (%2 persons), %3 updated; %4 households and %5 persons not imported.</translation>
    </message>
    <message>
        <location line="-202"/>
        <source>已取消，没有写入任何数据。</source>
        <translation>Cancelled; no data was written.</translation>
    </message>
    <message>
        <location line="+156"/>
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
        <location line="+12"/>
        <source>文件或目标村已更改，请重新检查。</source>
        <translation>The file or the target village changed: check the file again.</translation>
    </message>
</context>
<context>
    <name>JobProgress</name>
    <message>
        <location filename="../../fieldvisit/qt/job_progress.py" line="+26"/>
        <source>出错了：%1</source>
        <translation>Something went wrong: %1</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/population_dialog.py" line="+58"/>
        <source>新增人口</source>
        <translation>Add a person</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>新生儿可先不填，落户后补录</source>
        <translation>a newborn may have none yet; add it once registered</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+5"/>
        <source>（未填）</source>
        <translation>(not given)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>增加原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>与户主关系</source>
        <translation>Relation to head</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日期（出生、婚入或迁入）</source>
        <translation>Date (birth, marriage or move)</translation>
    </message>
</context>
<context>
    <name>LeaveDialog</name>
    <message>
        <location line="+37"/>
        <source>人口减少：%1</source>
        <translation>Person left: %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>如：病故；嫁入外县；外出务工落户</source>
        <translation>e.g. illness; married into another county; settled where working</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>减少原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>LedgerModel</name>
    <message>
        <location filename="../../fieldvisit/qt/ledger_view.py" line="-108"/>
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
        <location line="+106"/>
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
        <location line="+45"/>
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
        <location line="+13"/>
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
        <location line="+79"/>
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
        <location line="+39"/>
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
    <name>LoginDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/login_dialog.py" line="+13"/>
        <source>FieldVisit 驻村走访 — 登录</source>
        <translation>FieldVisit — Log in</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>请登录。本机数据已加密，输入密码后才能查看。</source>
        <translation>Please log in. The data on this computer is encrypted and opens with your password.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>干部</source>
        <translation>Cadre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>首次使用：请填写使用本机的干部和登录密码。</source>
        <translation>First use: enter the cadre who uses this computer and a login password.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本机的数据将加密保存：请设置干部和登录密码。加密后，即使电脑或数据目录被拿走，别人也读不到农户信息。</source>
        <translation>The data on this computer will be encrypted: set the cadre and a login password. Then nobody can read the households&apos; data, even with the computer or the data folder in hand.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>忘记密码…</source>
        <translation>Forgot password…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>开始使用</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>演示村：密码已填好（{password}）。</source>
        <translation>Demo village: the password is filled in ({password}).</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>请输入密码</source>
        <translation>Enter the password</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../fieldvisit/qt/main_window.py" line="+97"/>
        <source>驻村走访 — 花名册</source>
        <translation>FieldVisit — Roster</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>搜索姓名、拼音、身份证号、电话、户编号</source>
        <translation>Search name, pinyin, ID number, phone, household no.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>脱贫户</source>
        <translation>Lifted out of poverty (脱贫户)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>监测对象（全部）</source>
        <translation>Monitored (all kinds)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>查找：</source>
        <translation>Find:</translation>
    </message>
    <message>
        <location line="+106"/>
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
        <location line="-131"/>
        <source>全部户类别</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>一般农户</source>
        <translation>Ordinary (一般农户)</translation>
    </message>
    <message>
        <location line="+9"/>
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
        <location line="+11"/>
        <source>户类别：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location line="+2"/>
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
        <source>监测程序</source>
        <translation>Monitoring cases</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>村情概况</source>
        <translation>Village overview</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>&lt;h3&gt;还没有花名册&lt;/h3&gt;&lt;p&gt;请导入县里从防返贫监测系统导出的花名册（xlsx 或 csv 文件）。&lt;br&gt;导入前会先检查每一行，列出问题，确认后才写入。&lt;/p&gt;</source>
        <translation>&lt;h3&gt;No roster yet&lt;/h3&gt;&lt;p&gt;Import the roster your county exported from the monitoring system (an xlsx or csv file).&lt;br&gt;Every row is checked first and the problems listed; nothing is written until you confirm.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>设置…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>打印(&amp;P)</source>
        <translation>&amp;Print</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>批量打印明白卡…</source>
        <translation>Print household cards in bulk…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>村级汇总报告…</source>
        <translation>Village summary report…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>同步(&amp;S)</source>
        <translation>&amp;Sync</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>注册到县里…</source>
        <translation>Enroll with the county…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出同步包…</source>
        <translation>Export sync bundle…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导入回执包…</source>
        <translation>Import return bundle…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>通过网络同步…</source>
        <translation>Sync over the network…</translation>
    </message>
    <message>
        <location line="+3"/>
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
        <location line="+3"/>
        <source>导出诊断信息…</source>
        <translation>Export diagnostics…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>正在载入花名册…</source>
        <translation>Loading the roster…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>花名册载入失败：%1</source>
        <translation>The roster could not be loaded: %1</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>显示 %1 户（%2 人），共 %3 户</source>
        <translation>Showing %1 households (%2 persons) of %3</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>保存失败</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>无法开始走访</source>
        <translation>Cannot start the visit</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>村级汇总报告</source>
        <translation>Village summary report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>请先在左侧选择一个有村代码的行政村。</source>
        <translation>First choose a village with a village code on the left.</translation>
    </message>
    <message>
        <location line="+101"/>
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
    <name>MeasureDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/measures_view.py" line="-52"/>
        <source>如：护林员 每月500元</source>
        <translation>e.g. forest ranger, 500 yuan a month</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>不涉及资金可不填</source>
        <translation>Leave empty if no money is involved</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>元/年</source>
        <translation>yuan/year</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>措施类别：</source>
        <translation>Category:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>具体内容：</source>
        <translation>Details:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>金额：</source>
        <translation>Amount:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>开始日期：</source>
        <translation>Start date:</translation>
    </message>
</context>
<context>
    <name>MeasuresModel</name>
    <message>
        <location line="-62"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>具体内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>金额（元/年）</source>
        <translation>Amount (yuan/year)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>开始日期</source>
        <translation>Start date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>结束日期</source>
        <translation>End date</translation>
    </message>
</context>
<context>
    <name>MeasuresView</name>
    <message>
        <location line="-17"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+149"/>
        <source>显示已结束的措施</source>
        <translation>Show ended measures</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>添加措施…</source>
        <translation>Add measure…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>修改…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>结束…</source>
        <translation>End…</translation>
    </message>
    <message numerus="yes">
        <location line="+37"/>
        <source>帮扶措施（享受政策 %n 项）</source>
        <translation>
            <numerusform>Support measures (%n policy enjoyed)</numerusform>
            <numerusform>Support measures (%n policies enjoyed)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>帮扶措施（享受政策）</source>
        <translation>Support measures (policies enjoyed)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>添加帮扶措施</source>
        <translation>Add support measure</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>修改帮扶措施</source>
        <translation>Edit support measure</translation>
    </message>
</context>
<context>
    <name>MemberDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/member_dialog.py" line="+52"/>
        <source>编辑成员：%1</source>
        <translation>Edit member: %1</translation>
    </message>
    <message>
        <location line="+9"/>
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
        <location line="+0"/>
        <source>残疾证号</source>
        <translation>Disability certificate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>城乡居民基本医疗保险</source>
        <translation>Resident medical insurance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>城镇职工基本医疗保险</source>
        <translation>Employee medical insurance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>大病保险</source>
        <translation>Serious illness insurance</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>：</source>
        <translation>:</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>（未填）</source>
        <translation>(not given)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>未填</source>
        <translation>not given</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>请先改正红色标出的错误</source>
        <translation>Correct the errors marked in red first</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>性别由身份证号第 17 位决定</source>
        <translation>The sex follows the 17th digit of the ID number</translation>
    </message>
</context>
<context>
    <name>MembersModel</name>
    <message>
        <location filename="../../fieldvisit/qt/household_panel.py" line="-332"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>与户主关系</source>
        <translation>Relation</translation>
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
        <translation>Labour</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1（%2 %3）</source>
        <translation>%1 (%2 %3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>减少</source>
        <translation>left</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/merge_dialog.py" line="+45"/>
        <source>合户：%1</source>
        <translation>Merge household: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>本户（户编号 %1）的 %2 名成员将全部并入所选的户，本户不再单独列户；历史记录保留。</source>
        <translation>All %2 members of this household (code %1) join the chosen household, and this household ends; its history is kept.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>输入户编号或户主姓名筛选</source>
        <translation>Filter by household code or head&apos;s name</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1&#x3000;户主：%2（%3 人）</source>
        <translation>%1   head: %2 (%3 persons)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+101"/>
        <source>未填</source>
        <translation>not given</translation>
    </message>
    <message>
        <location line="-87"/>
        <source>并入哪一户</source>
        <translation>Merge into</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+31"/>
        <source>与新户主的关系</source>
        <translation>Relation to the new head</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>成员关系</source>
        <translation>Relations</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>合户日期</source>
        <translation>Date of the merge</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>与新户主%1的关系</source>
        <translation>Relation to the new head %1</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>确认合户</source>
        <translation>Confirm the merge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>把本户（%1）的 %2 人并入户 %3（户主 %4）？
本户将不再列在花名册中，历史记录保留。</source>
        <translation>Merge the %2 persons of this household (%1) into household %3 (head %4)?
This household will no longer be listed in the roster; its history is kept.</translation>
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
    <name>OnlineDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/sync_dialog.py" line="+102"/>
        <source>通过网络同步</source>
        <translation>Sync over the network</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>有网络时，可以不用 U 盘：本机的同步包直接发给县里服务器，县里的回执包随即取回并导入。同步包已签名并加密，只有县里能打开。</source>
        <translation>With a network there is no need for a USB stick: this laptop&apos;s bundle goes straight to the county server, and the county&apos;s return bundle comes back and is imported at once. The bundle is signed and encrypted; only the county can open it.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>县里服务器：</source>
        <translation>County server:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>本机还没有注册到县里，所以还不能同步。单机使用不受影响；要与县里同步，请先用县里发的注册文件（.fve）和电话告知的激活码注册。</source>
        <translation>This laptop is not enrolled with the county yet, so it cannot sync. Working on its own is not affected; to sync with the county, first enroll with the county&apos;s enrollment file (.fve) and the activation code given by phone.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>正在与 %1 同步…</source>
        <translation>Syncing with %1…</translation>
    </message>
</context>
<context>
    <name>OpenCaseDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/case_dialogs.py" line="-203"/>
        <source>立案：纳入监测程序</source>
        <translation>Open a monitoring case</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>农户申报（含 12317 来电）</source>
        <translation>Household&apos;s own report (incl. 12317 calls)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>干部排查</source>
        <translation>Cadre screening</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>部门预警</source>
        <translation>Department warning</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>（未填）</source>
        <translation>(not given)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>选了“其他”时写明是什么风险</source>
        <translation>With 其他 (other), say what the risk is</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>线索和情况，如：12317 来电，户主住院花费较大</source>
        <translation>The clue, e.g. 12317 call: the head is in hospital, high costs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>风险类型最多选 %1 项</source>
        <translation>At most %1 risk types</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>线索来源：</source>
        <translation>Source:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>预警部门：</source>
        <translation>Department:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>风险类型：</source>
        <translation>Risk types:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>其他风险：</source>
        <translation>Other risk:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>线索：</source>
        <translation>Clue:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>户 %1</source>
        <translation>Household %1</translation>
    </message>
</context>
<context>
    <name>PhotoWidget</name>
    <message>
        <location filename="../../fieldvisit/qt/question_widgets.py" line="+91"/>
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
    <name>PrintPreview</name>
    <message>
        <location filename="../../fieldvisit/qt/print_preview.py" line="+87"/>
        <location line="+155"/>
        <source>无法打开 PDF：%1</source>
        <translation>Cannot open the PDF: %1</translation>
    </message>
    <message>
        <location line="-149"/>
        <source>打印机未能开始打印，请检查打印机或输出文件。</source>
        <translation>The printer could not start printing; check the printer or the output file.</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>另存为…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>正在生成 PDF…</source>
        <translation>Generating the PDF…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>另存为</source>
        <translation>Save as</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>保存失败</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>已保存到 %1</source>
        <translation>Saved to %1</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%v / %m 页</source>
        <translation>%v / %m pages</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>已发送到打印机：%n 页</source>
        <translation>
            <numerusform>Sent to the printer: %n page</numerusform>
            <numerusform>Sent to the printer: %n pages</numerusform>
        </translation>
    </message>
    <message>
        <location line="-119"/>
        <source>已取消。</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <location line="+134"/>
        <source>第 %1 页，共 %2 页</source>
        <translation>Page %1 of %2</translation>
    </message>
</context>
<context>
    <name>ProblemsModel</name>
    <message>
        <location filename="../../fieldvisit/qt/import_dialog.py" line="-260"/>
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
    <message>
        <location line="+23"/>
        <source>第 %1 行</source>
        <translation>row %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>值：%1</source>
        <translation>value: %1</translation>
    </message>
</context>
<context>
    <name>QuestionPage</name>
    <message>
        <location filename="../../fieldvisit/qt/visit_wizard.py" line="+166"/>
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
    <name>RecoveryDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/login_dialog.py" line="+49"/>
        <source>忘记密码</source>
        <translation>Forgot password</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1. 写出“找回申请”文件，用U盘交给县里；
2. 县里回一个“答复”文件，并电话告知找回码；
3. 选择答复文件，填写找回码，设置新密码。</source>
        <translation>1. Write a recovery request file and take it to the county on a USB stick;
2. the county sends back an answer file and tells you a recovery code by phone;
3. choose the answer file, enter the recovery code and set a new password.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>写出找回申请…</source>
        <translation>Write recovery request…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+40"/>
        <source>县里的答复</source>
        <translation>County&apos;s answer</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>找回码</source>
        <translation>Recovery code</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>干部</source>
        <translation>Cadre</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>再输一遍</source>
        <translation>Repeat it</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>找回并登录</source>
        <translation>Recover and log in</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>写出找回申请</source>
        <translation>Write recovery request</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>找回申请 (*.fvr)</source>
        <translation>Recovery request (*.fvr)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>答复 (*.fva);;所有文件 (*)</source>
        <translation>Answer (*.fva);;All files (*)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>两次输入的密码不一样</source>
        <translation>The two passwords differ</translation>
    </message>
</context>
<context>
    <name>ReturnImportDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/sync_dialog.py" line="-114"/>
        <source>导入回执包</source>
        <translation>Import return bundle</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>回执包是县里导入本机同步包后返回的文件（.fvb），带回县里的确认、县里和其他人对本村的修改。</source>
        <translation>A return bundle (.fvb) is the file the county sends back after importing this computer’s sync bundle; it brings the county’s confirmations and the changes the county and others made to this village.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>县里返回的回执包（.fvb）</source>
        <translation>Return bundle from the county (.fvb)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回执包：</source>
        <translation>Return bundle:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>本机还没有注册到县里，所以没有回执包可导入。单机使用不受影响；要与县里同步，请先用县里发的注册文件（.fve）和电话告知的激活码注册。</source>
        <translation>This computer is not enrolled with the county yet, so there is no return bundle to import. Working on this computer alone is not affected; to sync with the county, first enroll with the enrollment file (.fve) from the county and the activation code they phoned you.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>在 U 盘上找到本机的回执包：%1</source>
        <translation>Found this computer’s return bundle on the USB stick: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>请插入带回执包的 U 盘，然后点“选择文件…”。</source>
        <translation>Insert the USB stick with the return bundle, then click “Choose file…”.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>正在核对并导入“%1”…请不要拔出 U 盘。</source>
        <translation>Checking and importing “%1”… Do not remove the USB stick.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>选择回执包</source>
        <translation>Choose the return bundle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回执包 (*.fvb);;所有文件 (*)</source>
        <translation>Return bundles (*.fvb);;All files (*)</translation>
    </message>
</context>
<context>
    <name>RosterModel</name>
    <message>
        <location filename="../../fieldvisit/qt/roster_model.py" line="+54"/>
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
        <source>户类别</source>
        <translation>Status</translation>
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
    <name>SettingsDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/settings_dialog.py" line="+51"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>常规</source>
        <translation>General</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>县里的规定</source>
        <translation>County rules</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>打印</source>
        <translation>Printing</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A4</source>
        <translation>A4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A5（半张 A4）</source>
        <translation>A5 (half an A4 sheet)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> 毫米</source>
        <translation> mm</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>明白卡纸张：</source>
        <translation>Household card paper:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印页边距：</source>
        <translation>Printing margin:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印时四周各留出这么宽的空白（打印机印不到纸边时调大）；0 表示按文件原样铺满纸张。</source>
        <translation>Kept blank on every side when printing (raise it when the printer cannot print near the edge); 0 prints the document over the whole sheet as it is.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>网络同步</source>
        <translation>Network sync</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>县服务器地址：</source>
        <translation>County server address:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“同步 → 通过网络同步”使用这个地址；不用网络同步可留空。</source>
        <translation>Sync → Sync over the network uses this address; leave it empty without network sync.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>语言 / Language：</source>
        <translation>语言 / Language:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重新启动程序后生效。</source>
        <translation>Applies when FieldVisit is restarted.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>无操作自动锁定：</source>
        <translation>Lock when idle for:</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>离开电脑这么久没有操作，程序就锁定，输入密码才能继续。</source>
        <translation>After this long without a key or mouse press the app locks; the password opens it again.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>以下为县里下发的设置，本机只能查看。</source>
        <translation>These are the settings the county sent; they can only be viewed here.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>尚未收到县里下发的设置，以下为程序自带的默认值，本机只能查看。</source>
        <translation>No settings from the county yet: these are the defaults that come with FieldVisit; they can only be viewed here.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>户类别</source>
        <translation>Household status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>走访要求</source>
        <translation>Visits required</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>联系间隔</source>
        <translation>Contact every</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>入户间隔</source>
        <translation>Met at home every</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>%1 天</source>
        <translation>%1 days</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>数值</source>
        <translation>Value</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>走访周期：</source>
        <translation>Visit schedule:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>标准和阈值：</source>
        <translation>Standards and thresholds:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>防返贫监测收入线</source>
        <translation>Monitoring income line</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+26"/>
        <source>元/人/年</source>
        <translation>yuan/person/year</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>饮水量标准（丰水地区）</source>
        <translation>Water standard (water-rich area)</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>升/人/天</source>
        <translation>litres/person/day</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>饮水量标准（缺水地区）</source>
        <translation>Water standard (water-short area)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取水往返时间上限</source>
        <translation>Longest round trip to fetch water</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>分钟</source>
        <translation>minutes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取水水平距离上限</source>
        <translation>Farthest horizontal distance to water</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>米</source>
        <translation>m</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>取水垂直距离上限</source>
        <translation>Highest vertical distance to water</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全年累计断水天数上限</source>
        <translation>Most days without water in a year</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+9"/>
        <location line="+2"/>
        <location line="+1"/>
        <source>天</source>
        <translation>days</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>义务教育起始年龄</source>
        <translation>Compulsory schooling from age</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <location line="+3"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>岁</source>
        <translation>years</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>义务教育截止年龄</source>
        <translation>Compulsory schooling to age</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>风险消除前收入稳定月数</source>
        <translation>Months of stable income before risk elimination</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>个月</source>
        <translation>months</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>合规自付医疗费用偏高</source>
        <translation>High compliant out-of-pocket medical costs</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>元/年</source>
        <translation>yuan/year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>年龄核查上限</source>
        <translation>Age above which to check the record</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>父母与子女最小年龄差</source>
        <translation>Least age gap between parent and child</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>户主最小年龄</source>
        <translation>Youngest head of household</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未销号问题达此数即为红色</source>
        <translation>Open problems that make a household red</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>个</source>
        <translation>problems</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>问题整改期限</source>
        <translation>Days to rectify a problem</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>整改人可自行验收销号（1 是，0 否）</source>
        <translation>Who fixed may also accept and close (1 yes, 0 no)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>村级公示天数</source>
        <translation>Days of village publicity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>监测程序办结时限</source>
        <translation>Days to conclude a monitoring case</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 年监测收入线</source>
        <translation>Monitoring income line %1</translation>
    </message>
</context>
<context>
    <name>SplitDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/population_dialog.py" line="+16"/>
        <source>分户</source>
        <translation>Split household</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>分出</source>
        <translation>Moves out</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>在新户中的关系</source>
        <translation>Relation in the new household</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>成员</source>
        <translation>Members</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>户主</source>
        <translation>Head</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>分出的成员中须有一名户主</source>
        <translation>one of those moving out must be the head</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新户户编号</source>
        <translation>New household code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>分户日期</source>
        <translation>Date of the split</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/case_dialogs.py" line="+51"/>
        <source>办理：%1</source>
        <translation>Record: %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>农户已签字授权（授权书已收回）</source>
        <translation>The household signed its authorisation (form collected)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>授权书：</source>
        <translation>Authorisation:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> 人</source>
        <translation> people</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参会人数：</source>
        <translation>Attendance:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>公示时间：</source>
        <translation>Publicity:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>公示不少于 %1 天，公示结束后再登记结果</source>
        <translation>At least %1 days; record the result after it ends</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>公示期间收到的异议，没有可不填</source>
        <translation>Objections raised during the publicity, if any</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>异议：</source>
        <translation>Objections:</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+20"/>
        <source>情况说明（可不填）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>结果：</source>
        <translation>Result:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办理日期：</source>
        <translation>Date:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办理人：</source>
        <translation>By:</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>不通过原因（必填）：</source>
        <translation>Reason (required):</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>说明：</source>
        <translation>Note:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>写明为什么不通过</source>
        <translation>Why it did not pass</translation>
    </message>
</context>
<context>
    <name>StickPage</name>
    <message>
        <location filename="../../fieldvisit/qt/first_run.py" line="-171"/>
        <source>从U盘注册</source>
        <translation>Enroll from a USB stick</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>插入装有县里注册文件（.fve）的U盘，文件会自动出现在下面。</source>
        <translation>Insert the USB stick holding the county&apos;s enrollment file (.fve): it appears below by itself.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>还没有找到注册文件。请插入U盘，或点“选择文件…”。</source>
        <translation>No enrollment file found yet. Insert the USB stick, or click “Choose file…”.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>激活码（县里电话告知）</source>
        <translation>Activation code (the county gives it by phone)</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>选择注册文件</source>
        <translation>Choose the enrollment file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>注册文件 (*.fve);;所有文件 (*)</source>
        <translation>Enrollment files (*.fve);;All files (*)</translation>
    </message>
</context>
<context>
    <name>SyncJob</name>
    <message>
        <location filename="../../fieldvisit/qt/sync_dialog.py" line="-547"/>
        <source>无法读写文件：%1（U 盘是否已拔出或写满？）</source>
        <translation>Cannot read or write the file: %1 (was the USB stick removed, or is it full?)</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>已取消，没有写入任何文件。</source>
        <translation>Cancelled; no file was written.</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location line="-147"/>
        <source>未注册到县里（单机使用）</source>
        <translation>Not enrolled with the county (this computer only)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>县里</source>
        <translation>the county</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已注册到%1：%2 · 待县里确认的修改 %3 条</source>
        <translation>Enrolled with %1: %2 · %3 change(s) awaiting the county</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>本机的设备编号：%1（县里核对、回执包的文件名用它）</source>
        <translation>This laptop&apos;s device id: %1 (the county checks it, and return bundles are named by it)</translation>
    </message>
    <message>
        <location line="-8"/>
        <source> · 待县里激活</source>
        <translation> · awaiting activation by the county</translation>
    </message>
</context>
<context>
    <name>VillagePage</name>
    <message>
        <location filename="../../fieldvisit/qt/first_run.py" line="+11"/>
        <source>独立使用</source>
        <translation>Use on its own</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>填写本村的行政区划代码（12位数字）和村名。</source>
        <translation>Enter the village&apos;s administrative code (12 digits) and its name.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>村代码</source>
        <translation>Village code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>村名</source>
        <translation>Village name</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>村代码应为12位数字（行政区划代码）</source>
        <translation>The village code has 12 digits (the administrative division code)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请填写村名</source>
        <translation>Enter the village&apos;s name</translation>
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
        <location filename="../../fieldvisit/qt/visit_wizard.py" line="+80"/>
        <source>走访记录（只读）：%1</source>
        <translation>Visit record (read-only): %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>入户走访：%1</source>
        <translation>Household visit: %1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>◀ 上一页</source>
        <translation>◀ Previous</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下一页 ▶</source>
        <translation>Next ▶</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>此次走访已完成，记录不能修改；如有错误，请新建更正记录。</source>
        <translation>This visit is completed and cannot be changed; to fix a mistake, record a correction.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>发现的问题按当前数据重建（此次走访早于留存记录的版本）。</source>
        <translation>Its findings are rebuilt from today&apos;s data (this visit predates kept records).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>发现的问题按走访完成时留存的记录显示。</source>
        <translation>Its findings are shown as they were kept when the visit was completed.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>检查表已更新为新版本，以下答案未能带入，请重新填写：</source>
        <translation>The checklists were updated to a new version; these answers could not be carried over, please answer again:</translation>
    </message>
    <message>
        <location line="+182"/>
        <source>完成走访</source>
        <translation>Complete the visit</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>走访干部：</source>
        <translation>Visiting cadre:</translation>
    </message>
    <message>
        <location line="+281"/>
        <source>户主签字</source>
        <translation>Signed by the head of household</translation>
    </message>
    <message>
        <location line="-411"/>
        <location line="+411"/>
        <source>电话确认</source>
        <translation>By phone</translation>
    </message>
    <message>
        <location line="-398"/>
        <source>户主确认：</source>
        <translation>Confirmation:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>确认人：</source>
        <translation>Confirmed by:</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>身份（可不选）</source>
        <translation>Role (optional)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>到访情况</source>
        <translation>On arrival</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>走访类型：</source>
        <translation>Kind of visit:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>户主在家，签字确认</source>
        <translation>Head signs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>户主不在家</source>
        <translation>Head away</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>走访结束时请户主在走访记录上签字。</source>
        <translation>At the end of the visit, the head of household signs the visit record.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>户主不在家，已电话联系户主核对：确认人填接电话的人。</source>
        <translation>The head is away and was phoned to go through it: enter who answered the phone.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>可以先走访在家的家庭成员；完成前请电话联系户主，再改选“电话确认”。</source>
        <translation>Visit the family members at home first; before completing, phone the head of household, then choose Confirmed by phone.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>到达时请先选择：户主在家签字，或电话确认。</source>
        <translation>On arrival, choose first: the head at home signs, or confirmation by phone.</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>完成走访并生成整改问题</source>
        <translation>Complete the visit and open the problems</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>走访小结</source>
        <translation>Visit summary</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>完成前请和户主一起核对发现的问题。</source>
        <translation>Before completing, go through the problems found with the head of household.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>第 %1 / %2 页</source>
        <translation>Page %1 of %2</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>保存失败：%1</source>
        <translation>Saving failed: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>已自动保存</source>
        <translation>Saved automatically</translation>
    </message>
    <message>
        <location line="+64"/>
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
        <location line="+17"/>
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
        <location line="+8"/>
        <source>修改</source>
        <translation>change</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>户主确认：%1，确认人 %2</source>
        <translation>Household confirmation: %1, confirmed by %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>户主确认：户主不在家，尚未确认</source>
        <translation>Household confirmation: head not at home, not confirmed yet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>户主确认：尚未选择</source>
        <translation>Household confirmation: not chosen yet</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>更正原因（必填），如：水量记错</source>
        <translation>Reason for the correction (required), e.g. wrong water amount</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新建更正记录</source>
        <translation>New correction</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>已于 %1 完成走访。走访干部：%2；户主确认：%3（%4）</source>
        <translation>Visit completed on %1. Cadre: %2; household confirmation: %3 (%4)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>有 %1 个回答不符合要求，请先改正</source>
        <translation>%1 answers break a rule; correct them first</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>翻到第一个</source>
        <translation>go to the first</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>还有 %1 道必答题未回答：请补上，或勾选“仍然完成走访”</source>
        <translation>%1 required questions are not answered: answer them, or tick &quot;complete the visit anyway&quot;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>翻到第一道</source>
        <translation>go to the first</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>请填写走访干部姓名</source>
        <translation>Enter the visiting cadre&apos;s name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>翻到到访情况</source>
        <translation>go to On arrival</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请选择户主确认方式：户主签字或电话确认</source>
        <translation>Choose how the household confirmed: signed by the head of household or confirmed by phone</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>户主不在家：请电话联系户主确认后改选“电话确认”</source>
        <translation>The head of household is not at home: phone the head, then choose Confirmed by phone</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>请填写确认人姓名</source>
        <translation>Enter the name of who confirmed</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>还不能完成走访，请先处理以下 %1 项：</source>
        <translation>The visit cannot be completed yet; %1 things to do first:</translation>
    </message>
    <message>
        <location line="+55"/>
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
<context>
    <name>_BundleDialog</name>
    <message>
        <location filename="../../fieldvisit/qt/sync_dialog.py" line="+212"/>
        <source>注册到县里…</source>
        <translation>Enroll with the county…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>回执包已导入。</source>
        <translation>Return bundle imported.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>新增 %1 条记录</source>
        <translation>%1 new record(s)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>更新 %1 项内容</source>
        <translation>%1 item(s) updated</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>收到县里的修改：%1（包括县里和其他人对本村的修改）。</source>
        <translation>Changes received from the county: %1 (made by the county and others to this village).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>县里没有新的修改。</source>
        <translation>No new changes from the county.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>有 %1 项本机的修改县里还没确认，这些内容保留本机填写的，等县里决定后随以后的回执包送回。</source>
        <translation>%1 change(s) from this computer are not yet confirmed by the county; they keep what was entered here until the county decides, and the decision comes back in a later return bundle.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本机的修改县里已全部确认。</source>
        <translation>The county has confirmed every change from this computer.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本机还有 %1 条修改待县里确认：下次导出同步包时会一并带上。</source>
        <translation>%1 change(s) on this computer still await confirmation by the county: they go with the next sync bundle you export.</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../fieldvisit/qt/account.py" line="-55"/>
        <source>账户</source>
        <translation>Account</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>更改密码…</source>
        <translation>Change password…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>添加干部…</source>
        <translation>Add a cadre…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>备份到…</source>
        <translation>Back up to…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>同步包已写好。要不要同时在U盘上存一份加密备份？（只有干部密码或县里能打开）</source>
        <translation>The sync bundle is written. Save an encrypted backup on the USB stick too? (Only the cadre&apos;s password or the county can open it)</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>备份到哪个文件夹（如U盘）</source>
        <translation>Folder to back up to (a USB stick, say)</translation>
    </message>
    <message>
        <location line="-53"/>
        <location line="+59"/>
        <location line="+2"/>
        <source>备份</source>
        <translation>Back up</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>备份已写出并核对：{path}</source>
        <translation>Backup written and checked: {path}</translation>
    </message>
</context>
</TS>
