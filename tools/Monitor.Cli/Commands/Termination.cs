using System.Runtime.InteropServices;

namespace Monitor.Cli.Commands;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM ask the verb to stop: the first one cancels its token, so <c>run</c> stops
/// consuming and prints its summary whichever signal arrived. Signals that follow while it stops are absorbed
/// (two Ctrl+C arriving together are one request); one arriving after <see cref="Patience"/> ends the process at
/// once, for a stop that hangs.
/// </summary>
internal sealed class Termination : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _cts = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly object _gate = new();
    private long? _firstAt;

    private Termination()
    {
    }

    public CancellationToken Token => _cts.Token;

    public static Termination Install()
    {
        var t = new Termination();
        t._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, t.OnSignal));
        t._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, t.OnSignal));
        return t;
    }

    private void OnSignal(PosixSignalContext context)
    {
        lock (_gate)
        {
            var now = Environment.TickCount64;
            if (_firstAt is { } first)
            {
                // A repeated signal: absorbed while the stop is young, the default action (the process ends) after.
                context.Cancel = now - first < Patience.TotalMilliseconds;
                return;
            }
            _firstAt = now;
            context.Cancel = true;
        }
        _cts.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cts.Dispose();
    }
}
