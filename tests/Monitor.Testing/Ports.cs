using System.Net;
using System.Net.Sockets;

namespace Monitor.Testing;

/// <summary>Free loopback ports for the servers the tests start.</summary>
public static class Ports
{
    public static int Free()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
