namespace Monitor.Series;

/// <summary>The few knobs of <see cref="SeriesDetector"/>; the defaults suit minute-to-hour metrics of a few thousand points and more.</summary>
public sealed record SeriesDetectorOptions
{
    /// <summary>Points in the level and step windows.</summary>
    public int LevelWindow { get; init; } = 400;

    /// <summary>Points scored 0 while the detector learns the series.</summary>
    public int WarmupPoints { get; init; } = 60;

    /// <summary>Surprises averaged into the "recent" side of the likelihood.</summary>
    public int ShortWindow { get; init; } = 3;

    /// <summary>Surprises the likelihood compares the recent ones with.</summary>
    public int HistoryWindow { get; init; } = 4000;

    /// <summary>Weight of the step view against the level views.</summary>
    public double StepWeight { get; init; } = 0.8;

    /// <summary>A level surprise above this, <see cref="ShiftRun"/> points in a row, starts a new regime.</summary>
    public double ShiftSurprise { get; init; } = 4;

    public int ShiftRun { get; init; } = 24;

    /// <summary>The same for the cycle's offset: a run this long of points far off the last days' same minutes becomes the new offset.</summary>
    public int CycleShiftRun { get; init; } = 12;

    /// <summary>Surprises are capped here so one absurd point does not blind the likelihood for a long window.</summary>
    public double MaxSurprise { get; init; } = 30;

    /// <summary>Share of the 5–95% range that the spread never falls below.</summary>
    public double RangeFloor { get; init; } = 0.05;

    public double AbsoluteFloor { get; init; } = 1e-9;

    /// <summary>Floor on the spread of past surprises, so a perfectly steady series still needs a real break to alarm.</summary>
    public double MinSurpriseSpread { get; init; } = 0.5;

    /// <summary>Points after a score during which a score no higher than it counts as the same event.</summary>
    public int QuietWindow { get; init; } = 100;

    /// <summary>What the score of a point inside an event already reported is multiplied by.</summary>
    public double QuietFactor { get; init; } = 0.3;

    /// <summary>A seasonal view whose typical error is below this share of the plain view's replaces it instead of only excusing points.</summary>
    public double SeasonTrust { get; init; } = 0.7;

    /// <summary>Surprises averaged for the sustained view: a run of moderately unusual points is judged against earlier such runs.</summary>
    public int RunWindow { get; init; } = 30;

    /// <summary>The sustained view's spread floor, as a share of <see cref="MinSurpriseSpread"/>.</summary>
    public double RunSpread { get; init; } = 0.5;

    /// <summary>
    /// How much each earlier surprise at least as large makes a point less rare: its tail probability is multiplied
    /// by (1 + that count) to this power, so what a series does every day or so stops alarming.
    /// </summary>
    public double RecurrenceWeight { get; init; } = 2;

    /// <summary>Points kept with their times to look up the same minute of the three days before (three days of three-minute samples).</summary>
    public int LagWindow { get; init; } = 1500;
}
