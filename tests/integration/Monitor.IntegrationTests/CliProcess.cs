using System.Collections.Concurrent;
using System.Diagnostics;

namespace Monitor.IntegrationTests;

/// <summary>
/// The built CLI as a long-running process (<c>run</c>): its stderr lines as they come, signals as a terminal or
/// a service manager sends them, and its exit.
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

    public static CliProcess Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Cli.Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return new CliProcess(Process.Start(psi)!);
    }

    public IReadOnlyList<string> Stderr => [.. _stderr];

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

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
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
