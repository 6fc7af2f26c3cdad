using Microsoft.Extensions.Hosting;

namespace Monitor.Hosting;

/// <summary>
/// The host's lifetime when a verb runs it: the host does not listen for Ctrl+C or SIGTERM (the command line does,
/// and stops its work first: the ingest's last checkpoint needs the actor system), and stops when the verb disposes it.
/// The default console lifetime would stop the actor system under a running ingest.
/// </summary>
internal sealed class VerbLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
