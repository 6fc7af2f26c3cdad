using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Monitor.Testing;

/// <summary>
/// A mail server for tests on a free loopback port, speaking just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
/// QUIT; no TLS, no login) to take messages and keep each one's envelope and raw text. <see cref="RefuseRecipients"/>
/// answers every RCPT with that reply instead (e.g. "550 no such user", "451 try again later").
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Received> _messages = [];

    public SmtpTestServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A reply to give every RCPT instead of 250, or null to take them.</summary>
    public string? RefuseRecipients { get; set; }

    /// <summary>One message as it arrived: the envelope's sender and recipients, and the message's text (headers and body).</summary>
    public sealed record Received(string From, IReadOnlyList<string> To, string Data);

    public IReadOnlyList<Received> Messages
    {
        get { lock (_messages) return [.. _messages]; }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested) _ = ServeAsync(await _listener.AcceptTcpClientAsync(_stop.Token));
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.UTF8);
                var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 smtp.test ESMTP ready");
                string? from = null;
                var to = new List<string>();
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO" or "HELO":
                            await writer.WriteLineAsync("250 smtp.test");
                            break;
                        case "MAIL":
                            from = Address(line);
                            to.Clear();
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "RCPT":
                            if (RefuseRecipients is { } refusal)
                            {
                                await writer.WriteLineAsync(refusal);
                                break;
                            }
                            to.Add(Address(line));
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                            var data = new StringBuilder();
                            while (await reader.ReadLineAsync(_stop.Token) is { } d && d != ".") data.Append(d.StartsWith("..", StringComparison.Ordinal) ? d[1..] : d).Append("\r\n");
                            lock (_messages) _messages.Add(new Received(from ?? "", [.. to], data.ToString()));
                            await writer.WriteLineAsync("250 OK queued");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            return;
                        default:
                            await writer.WriteLineAsync(verb is "RSET" or "NOOP" ? "250 OK" : "502 not implemented");
                            break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? line[(start + 1)..end] : line;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
