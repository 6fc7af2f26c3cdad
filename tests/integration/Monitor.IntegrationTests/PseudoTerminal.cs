using System.Diagnostics;
using System.Text;

namespace Monitor.IntegrationTests;

/// <summary>
/// A command run as a user runs it in a terminal window: inside a pseudo-terminal of a given size (util-linux's
/// <c>script</c>, in Debian's essential bsdutils), with <c>TERM=xterm-256color</c>. What the terminal received is
/// kept as it came (escape sequences and all, for <see cref="VirtualTerminal"/>); keys are typed into it.
/// </summary>
internal sealed class PseudoTerminal : IAsyncDisposable
{
    private readonly Process _process;
    private readonly MemoryStream _received = new();
    private readonly Task _reading;

    private PseudoTerminal(Process process)
    {
        _process = process;
        _reading = Task.Run(async () =>
        {
            var buffer = new byte[8192];
            var stream = _process.StandardOutput.BaseStream;
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
                lock (_received) _received.Write(buffer, 0, n);
        });
    }

    /// <summary>
    /// Starts <paramref name="command"/> (a shell command line) in <paramref name="workingDirectory"/> in a terminal
    /// of <paramref name="columns"/> × <paramref name="rows"/>. The size is the terminal's own (stty), as a window
    /// of that size gives it; COLUMNS and LINES are not set, so the program must ask the terminal.
    /// </summary>
    public static PseudoTerminal Start(string workingDirectory, int columns, int rows, string command)
    {
        var psi = new ProcessStartInfo("script")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "-q", "-e", "-c", $"stty cols {columns} rows {rows}; exec {command}", "/dev/null" }) psi.ArgumentList.Add(a);
        psi.Environment["TERM"] = "xterm-256color";
        foreach (var v in new[] { "COLUMNS", "LINES", "NO_COLOR", "MONITOR_INVOKED_AS" }) psi.Environment.Remove(v);
        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new PseudoTerminal(process);
    }

    /// <summary>Everything the terminal received so far, decoded as UTF-8.</summary>
    public string Received
    {
        get
        {
            lock (_received) return Encoding.UTF8.GetString(_received.GetBuffer(), 0, (int)_received.Length);
        }
    }

    /// <summary>Waits until what the terminal received satisfies <paramref name="done"/>; false on timeout or exit.</summary>
    public async Task<bool> WaitFor(Func<string, bool> done, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (done(Received)) return true;
            if (_process.HasExited)
            {
                await _reading.WaitAsync(TimeSpan.FromSeconds(5));
                return done(Received);
            }
            await Task.Delay(200);
        }
        return false;
    }

    /// <summary>Types <paramref name="keys"/> into the terminal (<c>"\u0003"</c> is Ctrl+C).</summary>
    public async Task Type(string keys)
    {
        await _process.StandardInput.WriteAsync(keys);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The command's exit code (script -e passes it on).</summary>
    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"still running after {timeout.TotalSeconds:F0} s; the terminal received:\n{Received}");
        }
        await _reading.WaitAsync(TimeSpan.FromSeconds(5));
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
