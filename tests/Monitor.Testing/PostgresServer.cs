using System.Diagnostics;
using Npgsql;
using Xunit;

namespace Monitor.Testing;

/// <summary>
/// A real PostgreSQL server from Debian's packages, started for a test class in a temporary data directory on
/// a free loopback port and stopped afterwards (./test.sh installs the package; there is no Docker here).
/// Each test gets a database of its own from <see cref="NewDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string _dir = "";
    private string _bin = "";
    private int _port;
    private int _databases;

    public async Task InitializeAsync()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault() ?? ""
            : "";
        if (_bin.Length == 0) throw new InvalidOperationException("PostgreSQL is not installed: ./test.sh installs Debian's postgresql package");
        _dir = Path.Combine(Path.GetTempPath(), "monitor-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        _port = Ports.Free();
        if (IsRoot) await Run("chown", "postgres:postgres", _dir);
        await RunAsPostgres("initdb", "-D", _dir, "-U", "monitor", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        await RunAsPostgres("pg_ctl", "-D", _dir, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60",
            "-o", $"-p {_port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    public async Task DisposeAsync()
    {
        if (_dir.Length == 0) return;
        try
        {
            await RunAsPostgres("pg_ctl", "-D", _dir, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..20];
        await using (var c = new NpgsqlConnection(Connection("postgres")))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await cmd.ExecuteNonQueryAsync();
        }
        return Connection(name);
    }

    private string Connection(string database) => $"Host=127.0.0.1;Port={_port};Username=monitor;Database={database};Pooling=true";

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunAsPostgres(string tool, params string[] args) =>
        IsRoot ? Run("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]) : Run(Path.Combine(_bin, tool), args);

    private static async Task Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await error}{await output}");
    }

}
