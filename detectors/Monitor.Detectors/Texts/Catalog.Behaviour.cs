using Monitor.Detectors.Behaviour;

namespace Monitor.Detectors.Texts;

/// <summary>The behaviour models' explanations (BEHAVIOUR_OUTLIER, docs/models.md): the day view, the hour view and the features they name.</summary>
public static partial class Catalog
{
    /// <summary>The features' Chinese names, in the order of <see cref="BehaviourFeatures.Labels"/>.</summary>
    private static readonly string[] FeaturesZh =
    [
        "查询量", "重复查询对象占比", "非工作时间占比", "贷后管理占比", "贷款/信用卡审批占比", "本人查询占比",
        "其他查询原因占比", "失败/被拒占比", "使用终端数", "首次在其他机构出现的查询对象占比", "企业报告占比", "活跃用户数",
    ];

    private static IEnumerable<(string Key, string En, string Zh)> Behaviour() =>
    [
        ("BEHAVIOUR_OUTLIER.day",
            "{0} on {1} departs from {2}: {3} (score {4}: own {5}, drift {6}, peers {7} of the threshold; {8}{9}){10}",
            "{0} 在 {1} 的行为偏离{2}：{3}（评分 {4}：相对自身 {5}，漂移 {6}，相对同类 {7}，以阈值为 1；{8}{9}）{10}"),
        ("behaviour.fromOwnBuildingUp", "its usual behaviour, building up over several days", "其通常行为，且连续多日累积"),
        ("behaviour.fromOwn", "its usual behaviour", "其通常行为"),
        ("behaviour.fromPeers", "its peers", "同类"),
        ("behaviour.history", "{0} days of own history", "{0} 天自身历史"),
        ("behaviour.noHistory", "no own history yet", "尚无自身历史"),
        ("behaviour.ramping", "a new account ramping up, judged by its peers only", "新开用户尚在适应期，仅与同类比较"),
        ("behaviour.busyUser", "; its {0} reads count as {1} on a day its peers (the rest of its branch and the bank) read {2}× their usual",
            "；当天其同类（本机构其他用户及全行）查询量为通常的 {2} 倍，其 {0} 次查询按 {1} 次计"),
        ("behaviour.busyBranch", "; its {0} reads count as {1} on a day its peers (the rest of its bank) read {2}× their usual",
            "；当天其同类（全行其他机构）查询量为通常的 {2} 倍，其 {0} 次查询按 {1} 次计"),
        ("behaviour.hourPeers", " ({0} with its peers at {1}× their usual)", "（同类查询量为通常的 {1} 倍，按此预期 {0} 次）"),
        ("behaviour.model", ", peer model {0} of {1} members", "，同类模型 {0}（{1} 个成员）"),
        ("behaviour.noModel", ", no peer model yet", "，尚无同类模型"),
        ("behaviour.hourView", "; hour view: {0}", "；按小时：{0}"),
        ("behaviour.value", "{0} {1}", "{0} {1}"),
        ("behaviour.usual", " vs {0} usual", "，通常为 {0}"),
        ("behaviour.peerMedian", " vs {0} median {1}", "，{0}中位数为 {1}"),
        ("behaviour.andPeerMedian", ", {0} median {1}", "，{0}中位数为 {1}"),
        ("behaviour.drifting", " (above its usual day after day)", "（连续多日高于通常水平）"),
        ("peer.allBranches", "all branches'", "全部机构"),
        ("peer.siblings", "sibling branches'", "同级机构"),
        ("peer.bankWide", "bank-wide {0}", "全行 {0}"),
        ("peer.branch", "{0} {1}", "{0} {1}"),
        ("behaviour.hour", "{0} reads in the hour {1}–{2} vs about {3} expected", "{1}–{2} 时段查询 {0} 次，预期约 {3} 次"),
        ("BEHAVIOUR_OUTLIER.hour",
            "{0}: {1} for that hour of the week (Poisson tail {2} deviations; series score {3})",
            "{0}：{1}（与每周同一时段相比；泊松尾部 {2} 个标准差；序列评分 {3}）"),
        ("BEHAVIOUR_OUTLIER.running",
            "{0}: {1} reads already by {2} in the hour {3}–{4} vs about {5} expected for the whole hour{6} (Poisson tail {7} deviations; flagged before the hour is over)",
            "{0}：截至 {2}，{3}–{4} 时段已查询 {1} 次，整个时段预期约 {5} 次{6}（泊松尾部 {7} 个标准差；该时段结束前即已标记）"),
        .. BehaviourFeatures.Labels.Select((en, i) => ("feature." + i.ToString(System.Globalization.CultureInfo.InvariantCulture), en, FeaturesZh[i])),
    ];
}
