using System.Net.Sockets;

namespace Monitor.Cli.Commands;

/// <summary>
/// Forwards connections on a chosen port to the mock cluster's bootstrap broker. Clients bootstrap through it and
/// then talk to the broker at the address its metadata names (on this machine), which is why a port can be chosen
/// although librdkafka's mock picks its own.
/// </summary>
internal sealed class BootstrapForwarder : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();

    private BootstrapForwarder(TcpListener listener) => _listener = listener;

    public static BootstrapForwarder Start(TcpListener listener, string target)
    {
        var first = target.Split(',')[0];
        var colon = first.LastIndexOf(':');
        var (host, port) = (first[..colon], int.Parse(first[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        var f = new BootstrapForwarder(listener);
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
