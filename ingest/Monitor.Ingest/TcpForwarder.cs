using System.Net.Sockets;

namespace Monitor.Ingest;

/// <summary>
/// Forwards connections on a loopback port to another address. <c>monitor kafka --port</c> bootstraps clients
/// through it to the mock cluster (which picks its own port; clients then talk to the broker at the address its
/// metadata names); tests use it to bring "the brokers" up at an address a process was started with.
/// </summary>
public sealed class TcpForwarder : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();

    private TcpForwarder(TcpListener listener) => _listener = listener;

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> and forwards to the first address of <paramref name="target"/>.</summary>
    public static TcpForwarder Start(int port, string target)
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
        listener.Start();
        return Start(listener, target);
    }

    /// <summary>Forwards what <paramref name="listener"/> (already listening) accepts to the first address of <paramref name="target"/>.</summary>
    public static TcpForwarder Start(TcpListener listener, string target)
    {
        var first = target.Split(',')[0];
        var colon = first.LastIndexOf(':');
        var (host, port) = (first[..colon], int.Parse(first[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        var f = new TcpForwarder(listener);
        _ = Task.Run(() => f.AcceptAsync(host, port));
        return f;
    }

    private async Task AcceptAsync(string host, int port)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => PipeAsync(client, host, port));
        }
    }

    private async Task PipeAsync(TcpClient client, string host, int port)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(host, port, _stop.Token);
                var a = client.GetStream();
                var b = upstream.GetStream();
                await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // One client's connection ended; the others go on.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
