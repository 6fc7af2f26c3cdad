namespace Monitor.Testing;

/// <summary>A clock that says what the test tells it: nothing in the detection path may depend on the real one.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}
