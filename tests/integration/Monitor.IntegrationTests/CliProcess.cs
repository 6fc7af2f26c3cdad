using System.Collections.Concurrent;
using System.Diagnostics;

namespace Monitor.IntegrationTests;

/// <summary>
/// The built CLI as a long-running process (<c>run</c>, <c>demo</c>), as an operator starts it: its stdout and
/// stderr lines as they come, signals as a terminal or a service manager sends them, and its exit. The one helper
/// every test of a running verb uses (<see cref="LiveMonitor"/> adds the API around it).
/// </summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _stdout = new();

    private CliProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _stdout.Enqueue(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public static CliProcess Start(params string[] args) => StartIn(null, args);

    /// <summary>Starts the CLI with <paramref name="environment"/> added to this process's, as a user sets INFLUX_TOKEN.</summary>
    public static CliProcess StartWith(IReadOnlyDictionary<string, string> environment, params string[] args) => Launch(null, environment, args);

    /// <summary>Starts the CLI with <paramref name="args"/> in <paramref name="workingDirectory"/> (the current one when null).</summary>
    public static CliProcess StartIn(string? workingDirectory, params string[] args) => Launch(workingDirectory, null, args);

    private static CliProcess Launch(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        psi.ArgumentList.Add(Cli.Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return new CliProcess(Process.Start(psi)!);
    }

    public IReadOnlyList<string> Stderr => [.. _stderr];

    public IReadOnlyList<string> Stdout => [.. _stdout];

    /// <summary>For assertion messages: the exit state and everything the process printed.</summary>
    public string Transcript => $"exited: {(HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no")}\n"
        + $"stderr:\n{string.Join('\n', Stderr)}\nstdout:\n{string.Join('\n', Stdout)}";

    /// <summary>Waits until <paramref name="done"/> holds (it may read <see cref="Stdout"/> and <see cref="Stderr"/>); false on timeout or exit.</summary>
    public async Task<bool> WaitUntil(Func<bool> done, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (done()) return true;
            if (_process.HasExited)
            {
                await Task.Delay(200); // the last lines
                return done();
            }
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>Sends SIGTERM, as systemd does, and waits for the exit code; killed if it has not exited within <paramref name="grace"/>.</summary>
    public async Task<int> StopAsync(TimeSpan? grace = null)
    {
        if (!_process.HasExited) await Signal("TERM");
        try
        {
            return await WaitForExit(grace ?? TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            return await WaitForExit(TimeSpan.FromSeconds(10));
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The first stderr line (or stdout line, with <paramref name="stdout"/>) matching <paramref name="match"/>, waiting up to <paramref name="timeout"/>; null if none came.</summary>
    public async Task<string?> WaitForLine(Func<string, bool> match, TimeSpan timeout, bool stdout = false)
    {
        var lines = stdout ? _stdout : _stderr;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (lines.FirstOrDefault(match) is { } line) return line;
            if (_process.HasExited)
            {
                await Task.Delay(200); // the last lines
                return lines.FirstOrDefault(match);
            }
            await Task.Delay(100);
        }
        return null;
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM) <paramref name="times"/> times in one go, as kill(1) does.</summary>
    public async Task Signal(string signal, int times = 1)
    {
        var pid = _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var psi = new ProcessStartInfo("sh") { ArgumentList = { "-c", string.Join("; ", Enumerable.Repeat($"kill -{signal} {pid}", times)) } };
        using var kill = Process.Start(psi)!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Where the process's threads are, when dotnet-stack is installed (developers' machines); empty otherwise.</summary>
    private async Task<string> ThreadsAsync()
    {
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-stack");
        if (!File.Exists(tool) || _process.HasExited) return "";
        try
        {
            var pid = _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var text = "\nthreads (dotnet-stack):\n" + await Tool(tool, "report", "-p", pid);
            var dumper = Path.Combine(Path.GetDirectoryName(tool)!, "dotnet-dump");
            if (!File.Exists(dumper)) return text;
            var file = Path.Combine(Path.GetTempPath(), $"hang-{pid}.dmp");
            await Tool(dumper, "collect", "-p", pid, "-o", file, "--type", "Heap");
            return text + "\nasync (dotnet-dump dumpasync):\n" + await Tool(dumper, "analyze", file, "-c", "dumpasync", "-c", "exit");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "";
        }
    }

    private static async Task<string> Tool(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return text;
    }

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"still running after {timeout.TotalSeconds:F0} s; what it wrote:\n{Transcript}{await ThreadsAsync()}");
        }
        _process.WaitForExit(); // the redirected streams drained
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
