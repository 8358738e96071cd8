"""bpmn-js's own words (the palette, the context pad, the change-type menu, its error tooltips) in the reader's
language, keyed by bpmn-js's English; the page hands them to bpmn-js's `translate` (app/editors/library_words.py).

The list follows what the vendored bundle passes to translate (scripts/vendor-editors): the palette's and the
context pad's titles, the replace menu's entries (bpmn-js's PopupEntries and ReplaceOptions) and their header
toggles. Terms follow the Chinese BPMN 2.0 usage (用户任务, 排他网关, 顺序流, 池/泳道). A word missing here stays
English; the properties panel's words are in app/editors/bpmn_panel_words.py.
"""

from app.i18n import N_

_PALETTE = {
    "Activate hand tool": N_("抓手工具（拖动画布）"),
    "Activate lasso tool": N_("套索工具（框选元素）"),
    "Activate create/remove space tool": N_("空间工具（插入或删除空白）"),
    "Activate global connect tool": N_("全局连接工具"),
    "Create start event": N_("创建开始事件"),
    "Create intermediate/boundary event": N_("创建中间/边界事件"),
    "Create end event": N_("创建结束事件"),
    "Create gateway": N_("创建网关"),
    "Create task": N_("创建任务"),
    "Create data object reference": N_("创建数据对象引用"),
    "Create data store reference": N_("创建数据存储引用"),
    "Create expanded sub-process": N_("创建展开的子流程"),
    "Create pool/participant": N_("创建池/参与者"),
    "Create group": N_("创建分组"),
}

_CONTEXT_PAD = {
    "Delete": N_("删除"),
    "Change element": N_("更改类型"),
    "Connect to other element": N_("连接到其他元素"),
    "Connect using association": N_("用关联连接"),
    "Connect using data input association": N_("用数据输入关联连接"),
    "Add text annotation": N_("添加文本注释"),
    "Append task": N_("追加任务"),
    "Append end event": N_("追加结束事件"),
    "Append gateway": N_("追加网关"),
    "Append intermediate/boundary event": N_("追加中间/边界事件"),
    "Append receive task": N_("追加接收任务"),
    "Append message intermediate catch event": N_("追加消息中间捕获事件"),
    "Append timer intermediate catch event": N_("追加定时器中间捕获事件"),
    "Append conditional intermediate catch event": N_("追加条件中间捕获事件"),
    "Append signal intermediate catch event": N_("追加信号中间捕获事件"),
    "Append compensation activity": N_("追加补偿活动"),
    "Add lane above": N_("在上方添加泳道"),
    "Add lane below": N_("在下方添加泳道"),
    "Divide into two lanes": N_("拆分为两条泳道"),
    "Divide into three lanes": N_("拆分为三条泳道"),
    "Align elements": N_("对齐元素"),
    "Distribute elements horizontally": N_("水平均匀分布"),
    "Distribute elements vertically": N_("垂直均匀分布"),
    "Open {element}": N_("打开 {element}"),
    "Search in diagram": N_("在图中搜索"),
    "flow elements must be children of pools/participants": N_("流程元素必须放在池/参与者之内"),
    "Data object must be placed within a pool/participant.": N_("数据对象必须放在池/参与者之内。"),
}

# bpmn-js asks for "Align elements " + one of its sides (AlignElementsMenuProvider): composed, not one string
ALIGN_SIDES = {
    "left": N_("左对齐"),
    "center": N_("水平居中对齐"),
    "right": N_("右对齐"),
    "top": N_("顶端对齐"),
    "middle": N_("垂直居中对齐"),
    "bottom": N_("底端对齐"),
}

_ACTIVITIES = {
    "Task": N_("任务"),
    "User task": N_("用户任务"),
    "Service task": N_("服务任务"),
    "Script task": N_("脚本任务"),
    "Send task": N_("发送任务"),
    "Receive task": N_("接收任务"),
    "Manual task": N_("手工任务"),
    "Business rule task": N_("业务规则任务"),
    "Call activity": N_("调用活动"),
    "Sub-process": N_("子流程"),
    "Sub-process (collapsed)": N_("子流程（折叠）"),
    "Sub-process (expanded)": N_("子流程（展开）"),
    "Ad-hoc sub-process": N_("临时子流程"),
    "Ad-hoc sub-process (collapsed)": N_("临时子流程（折叠）"),
    "Ad-hoc sub-process (expanded)": N_("临时子流程（展开）"),
    "Event sub-process": N_("事件子流程"),
    "Transaction": N_("事务"),
    "Parallel multi-instance": N_("并行多实例"),
    "Sequential multi-instance": N_("串行多实例"),
    "Loop": N_("循环"),
    "Collection": N_("集合"),
    "Participant multiplicity": N_("多实例参与者"),
    "Toggle non-interrupting": N_("切换中断/非中断"),
}

_GATEWAYS_FLOWS_AND_DATA = {
    "Exclusive gateway": N_("排他网关"),
    "Parallel gateway": N_("并行网关"),
    "Inclusive gateway": N_("包容网关"),
    "Complex gateway": N_("复杂网关"),
    "Event-based gateway": N_("事件网关"),
    "Sequence flow": N_("顺序流"),
    "Default flow": N_("默认流"),
    "Conditional flow": N_("条件流"),
    "Empty pool/participant": N_("空池/参与者"),
    "Expanded pool/participant": N_("展开的池/参与者"),
    "Data object reference": N_("数据对象引用"),
    "Data store reference": N_("数据存储引用"),
}

_EVENTS = {
    "Start event": N_("开始事件"),
    "Message start event": N_("消息开始事件"),
    "Message start event (non-interrupting)": N_("消息开始事件（非中断）"),
    "Timer start event": N_("定时器开始事件"),
    "Timer start event (non-interrupting)": N_("定时器开始事件（非中断）"),
    "Conditional start event": N_("条件开始事件"),
    "Conditional start event (non-interrupting)": N_("条件开始事件（非中断）"),
    "Signal start event": N_("信号开始事件"),
    "Signal start event (non-interrupting)": N_("信号开始事件（非中断）"),
    "Error start event": N_("错误开始事件"),
    "Escalation start event": N_("升级开始事件"),
    "Escalation start event (non-interrupting)": N_("升级开始事件（非中断）"),
    "Compensation start event": N_("补偿开始事件"),
    "Intermediate throw event": N_("中间抛出事件"),
    "Message intermediate catch event": N_("消息中间捕获事件"),
    "Message intermediate throw event": N_("消息中间抛出事件"),
    "Timer intermediate catch event": N_("定时器中间捕获事件"),
    "Conditional intermediate catch event": N_("条件中间捕获事件"),
    "Signal intermediate catch event": N_("信号中间捕获事件"),
    "Signal intermediate throw event": N_("信号中间抛出事件"),
    "Escalation intermediate throw event": N_("升级中间抛出事件"),
    "Compensation intermediate throw event": N_("补偿中间抛出事件"),
    "Link intermediate catch event": N_("链接中间捕获事件"),
    "Link intermediate throw event": N_("链接中间抛出事件"),
    "Boundary event": N_("边界事件"),
    "Message boundary event": N_("消息边界事件"),
    "Message boundary event (non-interrupting)": N_("消息边界事件（非中断）"),
    "Timer boundary event": N_("定时器边界事件"),
    "Timer boundary event (non-interrupting)": N_("定时器边界事件（非中断）"),
    "Conditional boundary event": N_("条件边界事件"),
    "Conditional boundary event (non-interrupting)": N_("条件边界事件（非中断）"),
    "Signal boundary event": N_("信号边界事件"),
    "Signal boundary event (non-interrupting)": N_("信号边界事件（非中断）"),
    "Escalation boundary event": N_("升级边界事件"),
    "Escalation boundary event (non-interrupting)": N_("升级边界事件（非中断）"),
    "Error boundary event": N_("错误边界事件"),
    "Cancel boundary event": N_("取消边界事件"),
    "Compensation boundary event": N_("补偿边界事件"),
    "End event": N_("结束事件"),
    "Message end event": N_("消息结束事件"),
    "Signal end event": N_("信号结束事件"),
    "Error end event": N_("错误结束事件"),
    "Escalation end event": N_("升级结束事件"),
    "Compensation end event": N_("补偿结束事件"),
    "Cancel end event": N_("取消结束事件"),
    "Terminate end event": N_("终止结束事件"),
}

_ALIGN = {"Align elements " + side: word for side, word in ALIGN_SIDES.items()}

BPMN_WORDS = {**_PALETTE, **_CONTEXT_PAD, **_ALIGN, **_ACTIVITIES, **_GATEWAYS_FLOWS_AND_DATA, **_EVENTS}
