namespace Monitor.Cli.Commands;

/// <summary>
/// Reads <c>--influx</c>: an absolute http(s) URL such as <c>http://127.0.0.1:8086</c>. Anything else is refused
/// with one line naming the option, so a typo is not found only when the first metrics are lost.
/// </summary>
internal static class InfluxUrl
{
    public static Uri Parse(string text)
    {
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Host.Length > 0)
            return url;
        throw new CliException($"--influx: '{text}' is not an http(s) URL such as http://127.0.0.1:8086");
    }
}
