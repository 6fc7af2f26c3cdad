using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

/// <summary>
/// A CLI verb (<c>monitor kafka</c>, <c>monitor run</c>) running as a process of its own, as an operator runs it;
/// its lines are read as they come. The benchmarks that measure the product as users meet it start it this way.
/// </summary>
internal sealed class MonitorProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _out = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _err = Channel.CreateUnbounded<string>();

    private MonitorProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } l) _out.Writer.TryWrite(l); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } l) _err.Writer.TryWrite(l); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The CLI as built by <c>./monitor</c>, or null with a line saying how to build it.</summary>
    public static string? Cli(string benchmark)
    {
        var cli = Path.GetFullPath("tools/Monitor.Cli/bin/Release/net10.0/Monitor.Cli.dll");
        if (File.Exists(cli)) return cli;
        Console.WriteLine($"{benchmark}: {cli} is missing; build it first (./monitor --help builds it), from the repository's root");
        return null;
    }

    public static MonitorProcess Start(string cli, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(cli);
        foreach (var a in args) info.ArgumentList.Add(a);
        return new MonitorProcess(Process.Start(info)!);
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ChannelReader<string> Errors => _err.Reader;

    public async Task<string> FirstLineAsync(TimeSpan within) => await _out.Reader.ReadAsync(new CancellationTokenSource(within).Token);

    /// <summary>Waits for a line on standard error containing <paramref name="text"/> and returns it; standard output (the alerts) is drained meanwhile.</summary>
    public async Task<string> ErrorLineAsync(string text, TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        while (true)
        {
            var line = await _err.Reader.ReadAsync(cts.Token);
            if (line.Contains(text, StringComparison.Ordinal)) return line;
        }
    }

    /// <summary>Resident memory now and at its peak, in bytes (Linux's <c>/proc/PID/status</c>).</summary>
    public (long Now, long Peak) Memory()
    {
        long Read(string field) => File.ReadLines($"/proc/{_process.Id}/status")
            .Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024).FirstOrDefault();
        return _process.HasExited ? (0, 0) : (Read("VmRSS"), Read("VmHWM"));
    }

    /// <summary>Processor time used so far.</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.HasExited ? TimeSpan.Zero : _process.TotalProcessorTime;
        }
    }

    /// <summary>SIGTERM, as an operator stops it, then waits for it to go.</summary>
    public void Stop()
    {
        if (_process.HasExited) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        if (!_process.WaitForExit(30_000)) _process.Kill(entireProcessTree: true);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
