using Funnel.Core;
using Funnel.Core.Metrics;

namespace Funnel.Samples.RealEstate;

/// <summary>Prints a <see cref="FunnelReport"/> as plain console tables.</summary>
public static class ReportPrinter
{
    /// <summary>Prints the totals, then per stage: reached, conversion from the previous stage with its Wilson interval,
    /// median time in stage, and the losses by reason.</summary>
    /// <param name="report">The report.</param>
    public static void Print(FunnelReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Console.WriteLine($"  {report.Leads} buyers: won {report.Won}, lost {report.Lost}, open {report.Open}; "
            + $"overall conversion {Rate(report.OverallConversion)}, win rate {Rate(report.WinRate)}");
        Console.WriteLine($"  median cycle time to a deal: {Days(report.CycleTimeToWon.Median)} (n={report.CycleTimeToWon.Count})");
        Console.WriteLine();
        Console.WriteLine($"  {"stage",-18} {"reached",7}  {"from previous (95% Wilson)",-30} {"from top",-9} {"median stay",11}  losses by reason");
        foreach (var stage in report.Stages)
        {
            var losses = string.Join(", ", stage.Losses.ByReason.Where(r => r.Count > 0).Select(r => $"{r.Reason.Key} {r.Count}"));
            var stay = stage.TimeInStage.Count == 0 ? "-" : Days(stage.TimeInStage.Median);
            var fromTop = stage.ConversionFromTop is { HasData: true } top ? Percent(top.Value) : "-";
            Console.WriteLine($"  {stage.Stage.DisplayName,-18} {stage.Reached,7}  {Rate(stage.ConversionFromPrevious),-30} {fromTop,-9} {stay,11}  {losses}".TrimEnd());
        }
    }

    /// <summary>Formats a rate as <c>12/40   30% [18%, 46%]</c>, flagged when it rests on too few trials.</summary>
    /// <param name="rate">The rate.</param>
    /// <returns>The text.</returns>
    public static string Rate(Proportion rate) =>
        !rate.HasData
            ? "no data"
            : $"{rate.Successes,2}/{rate.Trials,-2} {Percent(rate.Value),4} [{Percent(rate.Interval.Lower)}, {Percent(rate.Interval.Upper)}]{(rate.IsSmallSample ? " small" : "")}";

    /// <summary>Formats a share as a whole percentage, such as <c>42%</c>.</summary>
    /// <param name="share">The share, between 0 and 1.</param>
    /// <returns>The text.</returns>
    public static string Percent(double share) => $"{share * 100:0}%";

    /// <summary>Formats a duration in days with one decimal.</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>The text, such as <c>2.5 d</c>.</returns>
    public static string Days(TimeSpan duration) => $"{duration.TotalDays:0.0} d";
}
