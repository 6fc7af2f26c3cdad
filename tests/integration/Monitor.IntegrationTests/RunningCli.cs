using System.Collections.Concurrent;
using System.Diagnostics;

namespace Monitor.IntegrationTests;

/// <summary>
/// A long-running <c>./monitor</c> verb (<c>run</c>, <c>demo</c>) as a separate process, as an operator starts
/// it: its output lines are collected as they come, a test waits for a line, then stops it with SIGTERM as
/// systemd or Ctrl+C would.
/// </summary>
internal sealed class RunningCli : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _out = new();
    private readonly ConcurrentQueue<string> _err = new();

    private RunningCli(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _out.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _err.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Stdout => [.. _out];
    public IReadOnlyList<string> Stderr => [.. _err];
    public bool HasExited => _process.HasExited;

    public static RunningCli Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(Cli.Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return new RunningCli(Process.Start(psi)!);
    }

    /// <summary>Waits until a line of stdout or stderr satisfies <paramref name="match"/>; false on timeout or exit.</summary>
    public async Task<bool> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_out.Any(match) || _err.Any(match)) return true;
            if (_process.HasExited) return _out.Any(match) || _err.Any(match);
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>Sends SIGTERM and waits for the exit code (killed after <paramref name="grace"/>).</summary>
    public async Task<int> StopAsync(TimeSpan? grace = null)
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.WaitForExit(); // drains the output readers
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
