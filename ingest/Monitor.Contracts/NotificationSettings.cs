using System.Text.Json.Serialization;

namespace Monitor.Contracts;

/// <summary>
/// The settings file's <c>notifications</c> section (docs/notifications.md): where pushed notices go (webhooks in plain
/// JSON, WeCom or DingTalk group robots, email), which events go where (routes by event, rule, severity and branch),
/// each branch's contact for the notices of its users' suspensions, and how deliveries are retried. It lives here,
/// beside <see cref="ApiSettings"/>, so that the notifier reads it without depending on the detectors.
/// </summary>
public sealed record NotificationSettings
{
    /// <summary>False: nothing is sent (the routes and channels stay as written).</summary>
    [JsonPropertyName("enabled")] public bool Enabled { get; init; } = true;

    /// <summary>Named destinations; routes and contacts refer to them by name.</summary>
    [JsonPropertyName("channels")] public IReadOnlyDictionary<string, NotificationChannel> Channels { get; init; } = new Dictionary<string, NotificationChannel>();

    /// <summary>Which events go to which channels; an event goes to every route it matches (each channel once).</summary>
    [JsonPropertyName("routes")] public IReadOnlyList<NotificationRoute> Routes { get; init; } = [];

    /// <summary>Per branch: who receives the notice of a suspension (or a reinstatement) of one of its users; a branch without one uses its nearest parent's.</summary>
    [JsonPropertyName("contacts")] public IReadOnlyDictionary<string, BranchContact> Contacts { get; init; } = new Dictionary<string, BranchContact>();

    /// <summary>The mail server for channels of type <c>email</c> and contacts' addresses.</summary>
    [JsonPropertyName("smtp")] public SmtpSettings? Smtp { get; init; }

    /// <summary>Deliveries waiting or being retried at most; more are dropped and counted (detection never waits).</summary>
    [JsonPropertyName("queue")] public int Queue { get; init; } = 1000;

    /// <summary>Attempts per delivery, the first included.</summary>
    [JsonPropertyName("attempts")] public int Attempts { get; init; } = 6;

    /// <summary>The wait before the first retry; it doubles with each further one, up to <see cref="MaxBackoffSeconds"/>.</summary>
    [JsonPropertyName("backoffSeconds")] public double BackoffSeconds { get; init; } = 2;

    [JsonPropertyName("maxBackoffSeconds")] public double MaxBackoffSeconds { get; init; } = 300;

    /// <summary>How long one attempt may take (an HTTP request, an SMTP session).</summary>
    [JsonPropertyName("timeoutSeconds")] public double TimeoutSeconds { get; init; } = 10;

    /// <summary>The officers' console, linked from each notice when set (e.g. https://monitor.bank.local/).</summary>
    [JsonPropertyName("consoleUrl")] public string? ConsoleUrl { get; init; }

    /// <summary>The same section without its secrets (passwords, signing secrets, webhook addresses' keys), for people to read.</summary>
    public NotificationSettings Redacted() => this with
    {
        Channels = Channels.ToDictionary(c => c.Key, c => c.Value with
        {
            Url = c.Value.Url is { } u ? RedactUrl(u) : null,
            Secret = c.Value.Secret is null ? null : "***",
        }),
        Smtp = Smtp is null ? null : Smtp with { Password = Smtp.Password is null ? null : "***" },
    };

    /// <summary>An address with its query string (where the robots' keys and tokens sit) and any user info hidden.</summary>
    public static string RedactUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u)) return "***";
        return $"{u.Scheme}://{u.Host}{(u.IsDefaultPort ? "" : ":" + u.Port)}{u.AbsolutePath}{(u.Query.Length > 0 ? "?***" : "")}";
    }
}

/// <summary>
/// One destination: <c>webhook</c> (plain JSON POSTed to <see cref="Url"/>), <c>wecom</c> (a WeCom group robot's webhook),
/// <c>dingtalk</c> (a DingTalk group robot's webhook, signed with <see cref="Secret"/> when the robot asks for it), or
/// <c>email</c> (to <see cref="To"/> through <see cref="NotificationSettings.Smtp"/>).
/// </summary>
public sealed record NotificationChannel
{
    public const string Webhook = "webhook";
    public const string WeCom = "wecom";
    public const string DingTalk = "dingtalk";
    public const string Email = "email";
    public static readonly IReadOnlyList<string> Types = [Webhook, WeCom, DingTalk, Email];

    [JsonPropertyName("type")] public string Type { get; init; } = Webhook;
    [JsonPropertyName("url")] public string? Url { get; init; }

    /// <summary>DingTalk's signing secret (加签, "SEC…"); when set, each request carries <c>timestamp</c> and <c>sign</c>.</summary>
    [JsonPropertyName("secret")] public string? Secret { get; init; }

    /// <summary>The robots' message type: <c>markdown</c> (default) or <c>text</c> (which can @ people by mobile number).</summary>
    [JsonPropertyName("format")] public string Format { get; init; } = "markdown";

    /// <summary>Mobile numbers to @ in a text message of a group robot.</summary>
    [JsonPropertyName("mention")] public IReadOnlyList<string> Mention { get; init; } = [];

    /// <summary>Email addresses of an <c>email</c> channel.</summary>
    [JsonPropertyName("to")] public IReadOnlyList<string> To { get; init; } = [];

    /// <summary><c>zh-CN</c> (default), <c>en</c>, or <c>both</c> (Chinese, then English) for the robots and email; plain JSON carries both always.</summary>
    [JsonPropertyName("language")] public string Language { get; init; } = "zh-CN";
}

/// <summary>
/// Which events a route takes: of these kinds (<c>alert</c>, <c>suspension</c>, <c>escalation</c>, <c>valve</c>; none
/// listed: all), of these rules (none: all), at this severity or worse (alerts and suspensions), of these branches and
/// the branches below them (none: all); and the channels they go to.
/// </summary>
public sealed record NotificationRoute
{
    public const string Alert = "alert";
    public const string Suspension = "suspension";
    public const string Escalation = "escalation";
    public const string Valve = "valve";
    public static readonly IReadOnlyList<string> Kinds = [Alert, Suspension, Escalation, Valve];

    [JsonPropertyName("events")] public IReadOnlyList<string> Events { get; init; } = [];
    [JsonPropertyName("rules")] public IReadOnlyList<string> Rules { get; init; } = [];
    [JsonPropertyName("minSeverity")] public string MinSeverity { get; init; } = "critical";
    [JsonPropertyName("branches")] public IReadOnlyList<string> Branches { get; init; } = [];
    [JsonPropertyName("to")] public IReadOnlyList<string> To { get; init; } = [];
}

/// <summary>A branch's contact: channels by name (its own group robot) and email addresses.</summary>
public sealed record BranchContact
{
    [JsonPropertyName("channels")] public IReadOnlyList<string> Channels { get; init; } = [];
    [JsonPropertyName("email")] public IReadOnlyList<string> Email { get; init; } = [];
}

/// <summary>The mail server: host and port, the sender, an optional login, and the transport's security.</summary>
public sealed record SmtpSettings
{
    [JsonPropertyName("host")] public string Host { get; init; } = "";
    [JsonPropertyName("port")] public int Port { get; init; } = 25;
    [JsonPropertyName("from")] public string From { get; init; } = "";
    [JsonPropertyName("user")] public string? User { get; init; }
    [JsonPropertyName("password")] public string? Password { get; init; }

    /// <summary><c>starttls</c> (upgrade when the server offers it; the default), <c>required</c> (refuse a server that does not), <c>ssl</c> (TLS from the start, port 465), <c>none</c>.</summary>
    [JsonPropertyName("security")] public string Security { get; init; } = "starttls";
}
