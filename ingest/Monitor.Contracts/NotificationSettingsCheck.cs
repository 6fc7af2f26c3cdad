namespace Monitor.Contracts;

/// <summary>
/// Checks the <c>notifications</c> section when the settings load, so a typo in a channel name or a route is refused
/// with the key that is wrong (as every other setting), not found out when the first critical alert goes nowhere.
/// </summary>
public static class NotificationSettingsCheck
{
    private static readonly string[] Severities = ["low", "medium", "high", "critical"];

    /// <summary>The first problem as <c>notifications.KEY: what is wrong</c>, or null.</summary>
    public static string? Problem(NotificationSettings n)
    {
        if (n.Queue is < 1 or > 1_000_000) return $"notifications.queue: {n.Queue} must be from 1 to 1000000";
        if (n.Attempts is < 1 or > 100) return $"notifications.attempts: {n.Attempts} must be from 1 to 100";
        if (!(n.BackoffSeconds > 0) || !(n.MaxBackoffSeconds >= n.BackoffSeconds)) return "notifications.backoffSeconds: must be more than 0, and maxBackoffSeconds at least as much";
        if (!(n.TimeoutSeconds > 0) || n.TimeoutSeconds > 600) return "notifications.timeoutSeconds: must be more than 0 and at most 600";
        if (n.ConsoleUrl is { } console && !IsHttp(console)) return $"notifications.consoleUrl: '{console}' is not an http(s) address";
        foreach (var (name, c) in n.Channels)
        {
            var key = $"notifications.channels.{name}";
            if (!NotificationChannel.Types.Contains(c.Type)) return $"{key}.type: '{c.Type}' is not {string.Join("|", NotificationChannel.Types)}";
            if (c.Type == NotificationChannel.Email)
            {
                if (c.To.Count == 0) return $"{key}.to: an email channel needs at least one address";
                if (c.To.FirstOrDefault(a => !IsAddress(a)) is { } bad) return $"{key}.to: '{bad}' is not an email address";
                if (n.Smtp is null) return $"{key}: an email channel needs notifications.smtp";
            }
            else if (c.Url is null || !IsHttp(c.Url)) return $"{key}.url: missing, or not an http(s) address";
            if (c.Format is not ("markdown" or "text")) return $"{key}.format: '{c.Format}' is not markdown|text";
            if (c.Language is not ("zh-CN" or "en" or "both")) return $"{key}.language: '{c.Language}' is not zh-CN|en|both";
        }
        for (var i = 0; i < n.Routes.Count; i++)
        {
            var r = n.Routes[i];
            var key = $"notifications.routes[{i}]";
            if (r.Events.FirstOrDefault(e => !NotificationRoute.Kinds.Contains(e)) is { } kind) return $"{key}.events: '{kind}' is not {string.Join("|", NotificationRoute.Kinds)}";
            if (r.Rules.FirstOrDefault(x => !RuleIds.All.Contains(x)) is { } rule) return $"{key}.rules: '{rule}' is not a rule id";
            if (!Severities.Contains(r.MinSeverity)) return $"{key}.minSeverity: '{r.MinSeverity}' is not low|medium|high|critical";
            if (r.To.Count == 0) return $"{key}.to: names no channel";
            if (r.To.FirstOrDefault(t => !n.Channels.ContainsKey(t)) is { } missing) return $"{key}.to: '{missing}' is not a channel of notifications.channels";
        }
        foreach (var (branch, contact) in n.Contacts)
        {
            var key = $"notifications.contacts.{branch}";
            if (contact.Channels.FirstOrDefault(t => !n.Channels.ContainsKey(t)) is { } missing) return $"{key}.channels: '{missing}' is not a channel of notifications.channels";
            if (contact.Email.FirstOrDefault(a => !IsAddress(a)) is { } bad) return $"{key}.email: '{bad}' is not an email address";
            if (contact.Email.Count > 0 && n.Smtp is null) return $"{key}.email: needs notifications.smtp";
            if (contact.Channels.Count + contact.Email.Count == 0) return $"{key}: names no channel and no email address";
        }
        if (n.Smtp is { } s)
        {
            if (string.IsNullOrWhiteSpace(s.Host)) return "notifications.smtp.host: missing";
            if (s.Port is < 1 or > 65535) return $"notifications.smtp.port: {s.Port} is not a port";
            if (!IsAddress(s.From)) return $"notifications.smtp.from: '{s.From}' is not an email address";
            if (s.Security is not ("starttls" or "required" or "ssl" or "none")) return $"notifications.smtp.security: '{s.Security}' is not starttls|required|ssl|none";
            if (s.User is not null && s.Password is null) return "notifications.smtp.password: a user needs a password";
        }
        return null;
    }

    private static bool IsHttp(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https";

    private static bool IsAddress(string a) => a.Length is > 2 and <= 254 && a.IndexOf('@') is > 0 and var at && at < a.Length - 1 && !a.Any(char.IsWhiteSpace);
}
