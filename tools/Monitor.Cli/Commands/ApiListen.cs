using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Monitor.Cli.Commands;

/// <summary>
/// Where the officers' API listens, from <c>--api</c> or <c>api.listen</c>: <c>IP:PORT</c>, <c>[IPv6]:PORT</c>,
/// <c>localhost:PORT</c> (loopback), <c>HOSTNAME:PORT</c> (the address the name resolves to on this machine), or
/// a port alone, which means <c>127.0.0.1:PORT</c>: a key must never travel to a wider interface than asked for.
/// Anything else is one line naming where the text came from (<see cref="Source"/>).
/// </summary>
internal sealed record ApiListen(IPAddress Address, int Port, string Source)
{
    /// <summary>As <see cref="Monitor.Api.OfficerApi"/> takes it: ADDRESS:PORT.</summary>
    public override string ToString() => $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary><c>--api</c> when given, else <c>api.listen</c> from the settings.</summary>
    public static ApiListen Of(string? option, string settings) =>
        option is not null ? Parse(option, "--api") : Parse(settings, "settings: api.listen");

    public static ApiListen Parse(string text, string source, Func<string, IPAddress[]>? resolve = null)
    {
        var t = text.Trim();
        if (TryPort(t, out var alone)) return new ApiListen(IPAddress.Loopback, alone, source);
        var colon = t.LastIndexOf(':');
        if (colon <= 0 || !TryPort(t[(colon + 1)..], out var port))
            throw new CliException($"{source}: '{text}' is not HOST:PORT or a port (e.g. 127.0.0.1:8080, localhost:8080, 8080)");
        var host = t[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (IPAddress.TryParse(host, out var ip)) return new ApiListen(ip, port, source);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return new ApiListen(IPAddress.Loopback, port, source);
        IPAddress[] found;
        try
        {
            found = (resolve ?? Dns.GetHostAddresses)(host);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            throw new CliException($"{source}: cannot resolve host '{(host.Length > 80 ? host[..80] + "…" : host)}': {e.Message}");
        }
        var address = found.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? found.FirstOrDefault()
            ?? throw new CliException($"{source}: host '{host}' has no address");
        return new ApiListen(address, port, source);
    }

    /// <summary>
    /// Refuses, before anything starts, an address another program listens on (or one this machine does not
    /// have), so <c>run</c> says so in one line; the API's own bind still refuses what changes in between.
    /// </summary>
    public void EnsureFree()
    {
        if (Port == 0) return;
        var probe = new TcpListener(Address, Port);
        try
        {
            probe.Start();
        }
        catch (SocketException e)
        {
            throw new CliException(e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"{Source}: {this} is taken by another program; stop it, or choose a free port"
                : $"{Source}: cannot listen on {this}: {e.Message}");
        }
        finally
        {
            probe.Stop();
        }
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;
}
