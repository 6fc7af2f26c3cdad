using System.Net;
using System.Net.Sockets;

namespace Monitor.IntegrationTests;

/// <summary>
/// Forwards a loopback port to another address: lets a test bring "the brokers" up at an address a process was
/// already started with, after it has found nothing there.
/// </summary>
internal sealed class TcpForwarder : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();

    private TcpForwarder(TcpListener listener) => _listener = listener;

    public static TcpForwarder Start(int port, string target)
    {
        var colon = target.LastIndexOf(':');
        var (host, targetPort) = (target[..colon], int.Parse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var f = new TcpForwarder(listener);
        _ = Task.Run(() => f.AcceptAsync(host, targetPort));
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
            _ = Task.Run(async () =>
            {
                using (client)
                using (var upstream = new TcpClient())
                {
                    try
                    {
                        await upstream.ConnectAsync(host, port, _stop.Token);
                        var a = client.GetStream().CopyToAsync(upstream.GetStream(), _stop.Token);
                        var b = upstream.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                        await Task.WhenAny(a, b);
                    }
                    catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
                    {
                    }
                }
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
