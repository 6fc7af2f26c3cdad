using Monitor.Contracts.State;

namespace Monitor.Detectors.Rules;

/// <summary>
/// A condition that holds day after day until someone fixes it (a person holding an administrator and a query account;
/// one person behind several query accounts): raised when it first holds, then again only when it changes (another set
/// of accounts) or once <c>repeatDays</c> have passed since it was last raised, not every day (issue 18). Pure state: the
/// last day raised and what the condition was then.
/// </summary>
public sealed class StandingCondition : IDurableState
{
    private int _raisedDay = int.MinValue;
    private string _raisedAs = "";

    /// <summary>Whether the condition, described by <paramref name="signature"/>, is to be raised on <paramref name="day"/>; remembers it when so.</summary>
    public bool Due(int day, string signature, int repeatDays)
    {
        if (day == _raisedDay || (string.Equals(signature, _raisedAs, StringComparison.Ordinal) && day - _raisedDay < repeatDays)) return false;
        _raisedDay = day;
        _raisedAs = signature;
        return true;
    }

    /// <summary>The day it was last raised, if it was.</summary>
    public int? LastRaised => _raisedDay == int.MinValue ? null : _raisedDay;

    public void Save(StateWriter w)
    {
        w.Write(_raisedDay);
        w.Write(_raisedAs);
    }

    public void Restore(StateReader r)
    {
        _raisedDay = r.ReadInt();
        _raisedAs = r.ReadString();
    }
}
