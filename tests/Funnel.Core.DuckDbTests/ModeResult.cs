using System.Globalization;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Core.DuckDbTests;

/// <summary>
/// The numbers the funnel modes decide (docs/bulk.md rules 8-13), as DuckDB or the engine computes them for one log:
/// Reached, Excluded and the time to convert per step 1..n-1 (from the anchor and from the previous step: count, exact
/// total, lower and upper median, nearest-rank p90, interpolated median, histogram). Compared as lines of text, so a
/// difference names the number.
/// </summary>
internal sealed class ModeResult
{
    private readonly long[] _reached;
    private readonly StepTimes[] _steps;

    /// <summary>Creates an all-zero result for a funnel of <paramref name="stageCount"/> stages.</summary>
    public ModeResult(int stageCount)
    {
        _reached = new long[stageCount];
        _steps = [.. Enumerable.Range(1, Math.Max(0, stageCount - 1)).Select(_ => new StepTimes())];
    }

    /// <summary>Gets Reached per step.</summary>
    public long[] Reached => _reached;

    /// <summary>Gets or sets the number of entities dropped by exclusions.</summary>
    public long Excluded { get; set; }

    /// <summary>Gets the time to convert into step <paramref name="step"/> (1..n-1) of a kind ("anchor" or "previous").</summary>
    public Times Of(int step, string kind) => kind switch
    {
        "anchor" => _steps[step - 1].FromAnchor,
        "previous" => _steps[step - 1].FromPrevious,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Use anchor or previous."),
    };

    /// <summary>Puts the engine's report into this shape; the report must carry time to convert.</summary>
    public static ModeResult Of(TransitionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var result = new ModeResult(report.StageCount) { Excluded = report.Excluded };
        report.Reached.CopyTo(result._reached);
        if (report.ConversionTimes.Length != report.StageCount - 1)
        {
            throw new InvalidOperationException($"The report has {report.ConversionTimes.Length} time-to-convert steps for {report.StageCount} stages.");
        }

        foreach (var step in report.ConversionTimes)
        {
            Fill(result.Of(step.Step, "anchor"), step.FromAnchor, step.FromAnchorHistogram);
            Fill(result.Of(step.Step, "previous"), step.FromPrevious, step.FromPreviousHistogram);
        }

        return result;
    }

    /// <summary>Returns the first line that differs (expected = this one), or <see langword="null"/> when equal.</summary>
    public string? FirstDifference(ModeResult actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var expected = Lines();
        var other = actual.Lines();
        for (var i = 0; i < Math.Max(expected.Count, other.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : "(nothing)";
            var a = i < other.Count ? other[i] : "(nothing)";
            if (e != a)
            {
                return $"expected {e}, actual {a}";
            }
        }

        return null;
    }

    /// <summary>Returns every number as a line of text.</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = new List<string> { $"Reached [{string.Join(", ", _reached)}]", $"Excluded {Excluded}" };
        for (var k = 0; k < _steps.Length; k++)
        {
            lines.Add($"step {k + 1} from the anchor: {_steps[k].FromAnchor}");
            lines.Add($"step {k + 1} from the previous step: {_steps[k].FromPrevious}");
        }

        return lines;
    }

    private static void Fill(Times times, DurationSummary summary, DurationHistogram histogram)
    {
        times.Count = summary.Count;
        times.Total = summary.TotalSeconds;
        times.LowerMedian = summary.MedianSeconds;
        times.UpperMedian = summary.UpperMedianSeconds;
        times.P90 = summary.P90Seconds;
        times.InterpolatedMedian = summary.MedianSecondsOf(MedianKind.Interpolated);
        times.Bins.AddRange(histogram.Bins);
    }

    /// <summary>The time to convert into one step, both ways.</summary>
    private sealed class StepTimes
    {
        public Times FromAnchor { get; } = new();

        public Times FromPrevious { get; } = new();
    }

    /// <summary>One summary and histogram of durations; all zero and no bins for no duration.</summary>
    internal sealed class Times
    {
        public long Count { get; set; }

        public Int128 Total { get; set; }

        public long LowerMedian { get; set; }

        public long UpperMedian { get; set; }

        public long P90 { get; set; }

        public double InterpolatedMedian { get; set; }

        public List<DurationBin> Bins { get; } = [];

        public override string ToString() =>
            string.Create(
                CultureInfo.InvariantCulture,
                $"n={Count} total={Total} median={LowerMedian}/{UpperMedian} interpolated={InterpolatedMedian} p90={P90} bins {(Bins.Count == 0 ? "(none)" : string.Join(", ", Bins))}");
    }
}
