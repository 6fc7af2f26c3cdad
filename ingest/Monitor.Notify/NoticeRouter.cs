using Monitor.Contracts;

namespace Monitor.Notify;

/// <summary>Where one delivery goes: a channel of the settings (by its name), or a branch contact's email addresses.</summary>
public sealed record Recipient(string Name, NotificationChannel Channel);

/// <summary>
/// Decides who is told what (docs/notifications.md): a notice goes to the channels of every route it matches (by kind,
/// rule, severity, and branch with the branches below it), each channel once; a branch notice goes to the contact of
/// the command's branch, or of its nearest parent that has one. Pure: the settings, the notice and the branch's line
/// (the branch, its parent, …, head office) in, the recipients out.
/// </summary>
public static class NoticeRouter
{
    private static readonly string[] Severities = ["low", "medium", "high", "critical"];

    public static List<Recipient> Route(NotificationSettings s, Notice n, IReadOnlyList<string> branchLine)
    {
        var to = new List<Recipient>();
        if (!s.Enabled) return to;
        if (n.Kind == Notice.BranchNoticeKind)
        {
            foreach (var branch in branchLine)
            {
                if (!s.Contacts.TryGetValue(branch, out var contact)) continue;
                foreach (var name in contact.Channels)
                    if (s.Channels.TryGetValue(name, out var channel)) Add(to, name, channel);
                if (contact.Email.Count > 0) Add(to, $"contact {branch} email", new NotificationChannel { Type = NotificationChannel.Email, To = contact.Email });
                break;
            }
            return to;
        }
        foreach (var r in s.Routes.Where(r => Matches(r, n, branchLine)))
            foreach (var name in r.To)
                if (s.Channels.TryGetValue(name, out var channel)) Add(to, name, channel);
        return to;
    }

    /// <summary>Whether the route takes the notice.</summary>
    public static bool Matches(NotificationRoute r, Notice n, IReadOnlyList<string> branchLine)
    {
        if (r.Events.Count > 0 && !r.Events.Contains(n.Kind)) return false;
        if (r.Rules.Count > 0 && (n.Rule is null || !r.Rules.Contains(n.Rule))) return false;
        if (n.Severity is { } severity && Array.IndexOf(Severities, severity) < Array.IndexOf(Severities, r.MinSeverity)) return false;
        if (r.Branches.Count > 0 && !branchLine.Any(r.Branches.Contains)) return false;
        return true;
    }

    private static void Add(List<Recipient> to, string name, NotificationChannel channel)
    {
        if (!to.Exists(r => r.Name == name)) to.Add(new Recipient(name, channel));
    }
}
