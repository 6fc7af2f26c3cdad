using Monitor.Detectors.Pipeline;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

public sealed class SourceTimeTests
{
    [Fact]
    public void Time_follows_an_ordinary_stream_a_few_events_behind_its_newest()
    {
        var s = new SourceTime();
        for (var i = 0; i < 10; i++) s.Accept(Ev.At(2026, 3, 3, 9, i), $"U{i}");
        Assert.Equal(Ev.At(2026, 3, 3, 9, 9 - (SourceTime.Users - 1)), s.Time);
        Assert.Equal(Ev.At(2026, 3, 3, 9, 9), s.Newest);
    }

    [Fact]
    public void One_user_alone_ahead_does_not_move_it_however_many_events_it_sends()
    {
        var s = new SourceTime();
        for (var i = 0; i < 10; i++) s.Accept(Ev.At(2026, 3, 3, 9, i), $"U{i}");
        for (var i = 0; i < 50; i++) s.Accept(Ev.At(2026, 3, 4, 9, i), "SKEWED");
        Assert.Equal(Ev.At(2026, 3, 3, 9, 10 - (SourceTime.Users - 1)), s.Time); // where the other users are, not a day ahead
    }

    [Fact]
    public void Time_moves_once_enough_users_are_there_and_never_goes_back()
    {
        var s = new SourceTime();
        for (var i = 0; i < 5; i++) s.Accept(Ev.At(2026, 3, 3, 9, i), $"U{i}");
        s.Accept(Ev.At(2026, 3, 9, 8), "A");
        s.Accept(Ev.At(2026, 3, 9, 8, 1), "B");
        Assert.Equal(Ev.At(2026, 3, 3, 9, 4), s.Time);
        s.Accept(Ev.At(2026, 3, 9, 8, 2), "C");
        Assert.Equal(Ev.At(2026, 3, 9, 8), s.Time);
        s.Accept(Ev.At(2026, 3, 3, 9, 30), "LATE");
        Assert.Equal(Ev.At(2026, 3, 9, 8), s.Time);
    }
}
