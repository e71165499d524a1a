using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core;
using Funnel.Core.Metrics;
using static Funnel.Serialization.Json.Tests.ReportGenerators;

namespace Funnel.Serialization.Json.Tests;

/// <summary>
/// Report JSON carries every number of the report and reads back (through <c>FunnelReport.Restore</c>) to a report
/// equal in structure; reading checks keys, counts and every derived number, naming the path and line of each problem.
/// </summary>
public partial class FunnelJsonReportTests
{
    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions().ConfigureForFunnel(f => f.AddDefinitions(FunnelTemplates.All));

    [Property(MaxTest = 100)]
    public Property WriteReport_CarriesEveryNumberOfTheReport()
    {
        return Prop.ForAll(EventLogs.ToArbitrary(), events =>
        {
            var report = FunnelReport.Compute(FunnelTemplates.Aida, events);
            using var json = JsonDocument.Parse(FunnelJson.WriteReport(report));
            var root = json.RootElement;

            Assert.Equal("aida", root.GetProperty("definition").GetString());
            Assert.Equal(report.Leads, root.GetProperty("leads").GetInt64());
            Assert.Equal(report.Won, root.GetProperty("won").GetInt64());
            Assert.Equal(report.EverWon, root.GetProperty("everWon").GetInt64());
            Assert.Equal(report.Lost, root.GetProperty("lost").GetInt64());
            Assert.Equal(report.Open, root.GetProperty("open").GetInt64());
            AssertProportion(report.OverallConversion, root.GetProperty("overallConversion"));
            var stages = root.GetProperty("stages").EnumerateArray().ToArray();
            Assert.Equal(report.Stages.Length, stages.Length);
            for (var i = 0; i < stages.Length; i++)
            {
                var stage = report.Stages[i];
                Assert.Equal(stage.Stage.Key.Value, stages[i].GetProperty("stage").GetString());
                Assert.Equal(stage.Reached, stages[i].GetProperty("reached").GetInt64());
                Assert.Equal(stage.ConvertedToNext, stages[i].GetProperty("convertedToNext").GetInt64());
                Assert.Equal(stage.Dropped, stages[i].GetProperty("dropped").GetInt64());
                Assert.Equal(stage.StillOpen, stages[i].GetProperty("stillOpen").GetInt64());
                AssertProportion(stage.ConversionFromPrevious, stages[i].GetProperty("conversionFromPrevious"));
                Assert.Equal(stage.Losses.Total, stages[i].GetProperty("losses").GetProperty("total").GetInt64());
                foreach (var reason in stage.Losses.ByReason)
                {
                    Assert.Equal(reason.Count, stages[i].GetProperty("losses").GetProperty("byReason").GetProperty(reason.Reason.Key.Value).GetInt64());
                }

                Assert.Equal(stage.TimeInStage.MedianSeconds, stages[i].GetProperty("timeInStage").GetProperty("medianSeconds").GetInt64());
                Assert.Equal(stage.TimeInStage.TotalSeconds, stages[i].GetProperty("timeInStage").GetProperty("totalSeconds").GetInt64());
            }

            Assert.Equal(report.TimeAfterLoss.Count, root.GetProperty("timeAfterLoss").GetProperty("count").GetInt64());
            Assert.Equal(report.TimeAfterLoss.TotalSeconds, root.GetProperty("timeAfterLoss").GetProperty("totalSeconds").GetInt64());
            foreach (var (name, breakdown) in new[] { ("lossesAfterLoss", report.LossesAfterLoss), ("lossesAtUnknownStage", report.LossesAtUnknownStage) })
            {
                Assert.Equal(breakdown.Total, root.GetProperty(name).GetProperty("total").GetInt64());
                foreach (var reason in breakdown.ByReason)
                {
                    Assert.Equal(reason.Count, root.GetProperty(name).GetProperty("byReason").GetProperty(reason.Reason.Key.Value).GetInt64());
                }
            }

            Assert.Equal((5, 5), (root.GetProperty("transitions").GetProperty("rows").GetInt32(), root.GetProperty("transitions").GetProperty("columns").GetInt32()));
            Assert.Equal(report.Transitions.Counts, root.GetProperty("transitions").GetProperty("values").EnumerateArray().Select(v => v.GetInt64()));
            Assert.Equal(report.LossesByStage.Counts, root.GetProperty("lossesByStage").GetProperty("values").EnumerateArray().Select(v => v.GetInt64()));
        });
    }

    private static FunnelReport ReportOf((FunnelDefinition definition, (int Kind, int Index, int Minutes)[][] plays, string? actor, int query) c) =>
        FunnelReport.Compute(c.definition, c.plays.Select((operations, i) => JourneyPlayGenerators.Play(c.definition, operations, c.actor, $"lead-{i}")), Queries[c.query]);

    [Property(MaxTest = 150)]
    public Property Report_FromGeneratedJourneys_RoundTripsEqualAndByteIdentical() =>
        Prop.ForAll(JourneyCases.ToArbitrary(), c => AssertRoundTrips(ReportOf(c)));

    [Fact]
    public void Report_GeneratedJourneyCases_IncludeWinsAndLosses()
    {
        // Guards the property above against passing vacuously: 150 cases of the sizes it runs (0 to 100).
        var reports = Enumerable.Range(0, 150).SelectMany(i => JourneyCases.Sample(i * 100 / 150, 1)).Select(ReportOf).ToList();
        var (withWins, withLosses) = (reports.Count(r => r.Won > 0), reports.Count(r => r.LossesByStage.Total > 0));
        Assert.True(withWins > 10 && withLosses > 10, $"the generator made too few reports with wins ({withWins}) or losses ({withLosses})");
    }

    [Property(MaxTest = 100)]
    public Property Report_FromGeneratedEventLogs_RoundTripsEqualAndByteIdentical()
    {
        var cases = (from events in EventLogs from query in Gen.Choose(0, Queries.Length - 1) select (events, query)).ToArbitrary();
        return Prop.ForAll(cases, c => AssertRoundTrips(FunnelReport.Compute(FunnelTemplates.Aida, c.events, Queries[c.query])));
    }

    [Property(MaxTest = 50)]
    public Property Report_WithStepWindows_RoundTripsTheQuery()
    {
        var query = FunnelQuery.Default.Ordered(TimeSpan.FromHours(3), AnchorMode.Best).WithStepWindows([null, TimeSpan.FromMinutes(30), TimeSpan.Zero]);
        Assert.Contains("\"stepWindows\": [\n      null,\n      \"00:30:00\",\n      \"00:00:00\"\n    ]", FunnelJson.WriteReport(FunnelReport.Compute(FunnelTemplates.Aida, Array.Empty<FunnelEvent>(), query)).ReplaceLineEndings("\n"), StringComparison.Ordinal);

        return Prop.ForAll(EventLogs.ToArbitrary(), events =>
        {
            var report = FunnelReport.Compute(FunnelTemplates.Aida, events, query);
            AssertRoundTrips(report);
            Assert.Equal(query.StepWindows.ToArray(), FunnelJson.ReadReport(FunnelJson.WriteReport(report), [FunnelTemplates.Aida]).Query.StepWindows.ToArray());
        });
    }

    [Fact]
    public void Report_WithLossesAfterALossAndAtAnUnknownStage_RoundTrips()
    {
        var events = Path(1, 2, true, "price", 60, OddLoss.First).Concat(Path(2, 3, true, "price", 30, OddLoss.Twice)).ToArray();
        var report = FunnelReport.Compute(FunnelTemplates.Aida, events);

        Assert.Equal((1L, 1L, 4L), (report.LossesAtUnknownStage["price"], report.LossesAfterLoss["competitor"], report.Losses.Total));
        Assert.Equal(2, report.TimeAfterLoss.Count); // from the first loss to the first entry, and from one loss to the next
        AssertRoundTrips(report);
    }

    [Fact]
    public void Report_TotalSecondsPastInt64_IsWrittenAndReadExactly()
    {
        // A total that a 64-bit integer cannot hold: written as its digits, read back exactly.
        var report = SampleReport();
        var huge = DurationSummary.FromAggregates(3, ((Int128)long.MaxValue * 3) - 1, long.MaxValue - 1, long.MaxValue);
        var restored = FunnelReport.Restore(
            report.Definition, report.Query, report.AsOf, report.Won, report.Lost, report.Open, report.CycleTimeToWon, report.Reached,
            [.. report.Stages.Select(s => s.ConvertedToNext)], [.. report.Stages.Select(s => s.ConversionFromTop!.Value.Successes)],
            [.. report.Stages.Select(s => s.Dropped)], [.. report.Stages.Select(s => s.StillOpen)], [huge, .. report.Stages.Skip(1).Select(s => s.TimeInStage)],
            report.TimeAfterLoss, report.Transitions.Counts, report.LossesByStage.Counts,
            [.. report.LossesAfterLoss.ByReason.Select(r => r.Count)], [.. report.LossesAtUnknownStage.ByReason.Select(r => r.Count)]);

        var json = FunnelJson.WriteReport(restored);

        Assert.Contains("\"totalSeconds\": 27670116110564327420", json, StringComparison.Ordinal);
        AssertRoundTrips(restored);
    }

    [Fact]
    public void ReadReport_WithoutEverWon_TakesWon()
    {
        // Reports written before the count existed have no "everWon".
        var root = JsonNode.Parse(FunnelJson.WriteReport(SampleReport()))!;
        root.AsObject().Remove("everWon");

        var read = FunnelJson.ReadReport(root.ToJsonString(), FunnelTemplates.All);

        Assert.Equal(read.Won, read.EverWon);
    }

    [Fact]
    public void ReadReport_EverWonNegativeOrAboveTheLeads_PointsAtEverWon()
    {
        var (_, negative) = ReadMutated(root => root["everWon"] = -1);
        var (_, tooMany) = ReadMutated(root => root["everWon"] = root["leads"]!.GetValue<long>() + 1);

        Assert.Contains("$.everWon", negative.Message, StringComparison.Ordinal);
        Assert.Contains("$.everWon", tooMany.Message, StringComparison.Ordinal);
        Assert.Contains("at most the leads", tooMany.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadReport_TransitionsWithoutTheLostRow_SaysHowManyRows()
    {
        // The shape before the lost row: stages × (stages + 1).
        var (text, ex) = ReadMutated(root =>
        {
            var transitions = root["transitions"]!;
            transitions["rows"] = 4;
            var values = transitions["values"]!.AsArray();
            for (var i = 0; i < 5; i++)
            {
                values.RemoveAt(values.Count - 1);
            }
        });

        AssertProblem(ex, "$.transitions.rows", LineOf(text, "\"rows\": 4"), "expected 5 rows (stages + 1 (the last row counts moves from lost)), found 4");
    }

    [Fact]
    public void ReadReport_LossesAfterLossContradictTheTransitions_NamesThePath()
    {
        var (text, ex) = ReadMutated(root =>
        {
            root["lossesAfterLoss"]!["byReason"]!["price"] = 1;
            root["lossesAfterLoss"]!["total"] = 1;
            root["lossesAfterLoss"]!["recoverable"] = 1;
        });

        AssertProblem(ex, "$.lossesAfterLoss", LineOf(text, "\"lossesAfterLoss\""), "The losses after a loss total 1, but the transitions count 0 moves from lost to lost");
    }

    [Fact]
    public void ReadReport_MissingLossesAtUnknownStage_SaysItIsRequired()
    {
        var (_, ex) = ReadMutated(root => root.AsObject().Remove("lossesAtUnknownStage"));

        Assert.Contains(ex.Problems, p => p.Path == "$.lossesAtUnknownStage" && p.Message == "the property 'lossesAtUnknownStage' is required");
    }

    [Fact]
    public void StructuralComparer_ReportsThatDifferOnlyInAnOffsetOrACount_AreNotEqual()
    {
        var events = Path(1, 3, true, "price", 60).Concat(Path(2, 2, false, "price", 30)).ToArray();
        var at = T0.AddHours(5);
        var utc = FunnelReport.Compute(FunnelTemplates.Aida, events, FunnelQuery.Default.WithAsOf(at));
        var shifted = FunnelReport.Compute(FunnelTemplates.Aida, events, FunnelQuery.Default.WithAsOf(at.ToOffset(TimeSpan.FromHours(3))));
        var fewer = FunnelReport.Compute(FunnelTemplates.Aida, events.Skip(1), FunnelQuery.Default.WithAsOf(at));

        Assert.Null(StructuralComparer.FirstDifference(utc, FunnelReport.Compute(FunnelTemplates.Aida, events, FunnelQuery.Default.WithAsOf(at))));
        Assert.StartsWith("value.Query.AsOf:", StructuralComparer.FirstDifference(utc, shifted), StringComparison.Ordinal);
        Assert.NotNull(StructuralComparer.FirstDifference(utc, fewer));
    }

    [Fact]
    public void JsonSerializer_Report_RoundTripsWithTheConfiguredDefinitions()
    {
        var report = FunnelReport.Compute(FunnelTemplates.Aida, Path(1, 3, true, "price", 60));

        var json = JsonSerializer.Serialize(report, Options);

        Assert.Equal(FunnelJson.WriteReport(report, indented: false), json);
        StructuralComparer.AssertEqual(report, JsonSerializer.Deserialize<FunnelReport>(json, Options), "report");
    }

    [Fact]
    public void JsonSerializer_ReportWithoutDefinitions_SaysToAddThem()
    {
        var json = FunnelJson.WriteReport(SampleReport());

        var ex = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<FunnelReport>(json, new JsonSerializerOptions().ConfigureForFunnel()));

        Assert.Contains("$.definition: the funnel definition 'aida' is unknown", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddDefinition", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadReport_MissingStage_NamesTheMissingStageWithPathAndLine()
    {
        var (text, ex) = ReadMutated(root => root["stages"]!.AsArray().RemoveAt(3));

        AssertProblem(ex, "$.stages", LineOf(text, "\"stages\": ["), "has 4 stages, the report 3: missing 'action'");
    }

    [Fact]
    public void ReadReport_NegativeCount_NamesPathAndLine()
    {
        var (text, ex) = ReadMutated(root => root["stages"]![1]!["dropped"] = -1);

        AssertProblem(ex, "$.stages[1].dropped", LineOf(text, "\"dropped\": -1"), "must not be negative, not -1");
    }

    [Fact]
    public void ReadReport_UnknownStageKey_ListsTheDefinitionsStages()
    {
        var (text, ex) = ReadMutated(root => root["stages"]![2]!["stage"] = "bogus");

        AssertProblem(ex, "$.stages[2].stage", LineOf(text, "\"stage\": \"bogus\""), "'bogus' is not a stage of the definition 'aida'; its stages in order: attention, interest, desire, action");
    }

    [Fact]
    public void ReadReport_StagesOutOfOrder_SaysWhichStageBelongsThere()
    {
        var (text, ex) = ReadMutated(root => root["stages"]![0]!["stage"] = "interest");

        AssertProblem(ex, "$.stages[0].stage", LineOf(text, "\"stage\": \"interest\""), "expected the stage 'attention' here");
    }

    [Fact]
    public void ReadReport_UnknownLossReason_NamesItAndTheMissingOne()
    {
        var (text, ex) = ReadMutated(root =>
        {
            var byReason = root["losses"]!["byReason"]!.AsObject();
            var count = byReason["price"]!.GetValue<long>();
            byReason.Remove("price");
            byReason["bogus-reason"] = count;
        });

        AssertProblem(ex, "$.losses.byReason.bogus-reason", LineOf(text, "\"bogus-reason\""), "'bogus-reason' is not a loss reason of the definition 'aida'");
        Assert.Contains(ex.Problems, p => p.Path == "$.losses.byReason" && p.Message.Contains("missing 'price'", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadReport_DerivedNumberContradictsTheCounts_NamesPathAndLine()
    {
        var (text, ex) = ReadMutated(root => root["leads"] = 99);

        AssertProblem(ex, "$.leads", LineOf(text, "\"leads\": 99"), "99 does not match 3");
    }

    [Fact]
    public void ReadReport_RateOutsideTheUnitInterval_NamesPathAndLine()
    {
        var (text, ex) = ReadMutated(root => root["winRate"]!["upper"] = 1.5);

        AssertProblem(ex, "$.winRate.upper", LineOf(text, "\"upper\": 1.5"), "a rate must lie between 0 and 1, not 1.5");
    }

    [Fact]
    public void ReadReport_CountsThatContradictEachOther_NamePathAndLine()
    {
        var (text, ex) = ReadMutated(root => root["open"] = root["open"]!.GetValue<long>() + 1);

        Assert.Contains(ex.Problems, p => p.Path == "$.open" && p.Line == LineOf(text, "\"open\":") && p.Message.Contains("sum of dropped and still open", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadReport_TotalsCountingWithOrderedReach_NamesTheQueryProperty()
    {
        var (text, ex) = ReadMutated(root => root["query"]!["counting"] = "totals");

        AssertProblem(ex, "$.query.counting", LineOf(text, "\"counting\": \"totals\""), "'totals' counting needs the 'anyOrder' reach mode");
    }

    [Fact]
    public void ReadReport_SeveralProblems_AreReportedTogetherInLineOrder()
    {
        var (text, ex) = ReadMutated(root =>
        {
            root["stages"]![1]!["dropped"] = -1;
            root["stages"]![2]!["stage"] = "bogus";
            root["stages"]!.AsArray().RemoveAt(3);
        });

        Assert.Equal(["$.stages", "$.stages[1].dropped", "$.stages[2].stage"], ex.Problems.Select(p => p.Path));
        Assert.Equal([LineOf(text, "\"stages\": ["), LineOf(text, "\"dropped\": -1"), LineOf(text, "\"bogus\"")], ex.Problems.Select(p => p.Line));
    }

    [Fact]
    public void ReadReport_NoConversionFromTopWhenCountingUniques_SaysItIsRequired()
    {
        var (text, ex) = ReadMutated(root => root["stages"]![2]!["conversionFromTop"] = null);

        AssertProblem(ex, "$.stages[2].conversionFromTop", LineOf(text, "\"conversionFromTop\": null"), "required when counting uniques");
    }

    [Fact]
    public void ReadReport_MissingMatrix_SaysItIsRequired()
    {
        var (_, ex) = ReadMutated(root => root.AsObject().Remove("lossesByStage"));

        Assert.Contains(ex.Problems, p => p.Path == "$.lossesByStage" && p.Message == "the property 'lossesByStage' is required");
    }

    [Fact]
    public void ReadReport_UnknownDefinition_ListsTheKnownOnes()
    {
        var json = FunnelJson.WriteReport(SampleReport());

        var ex = Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadReport(json, [FunnelTemplates.FiveStage], "report.json"));

        AssertProblem(ex, "$.definition", 2, "the funnel definition 'aida' is unknown; known definitions: five-stage");
        Assert.StartsWith("report.json", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertRoundTrips(FunnelReport report)
    {
        var json = FunnelJson.WriteReport(report);
        var read = FunnelJson.ReadReport(json, FunnelTemplates.All);
        StructuralComparer.AssertEqual(report, read, "report");
        Assert.Equal(json, FunnelJson.WriteReport(read));
        StructuralComparer.AssertEqual(report, JsonSerializer.Deserialize<FunnelReport>(JsonSerializer.Serialize(report, Options), Options), "report");
    }

    private static FunnelReport SampleReport() =>
        FunnelReport.Compute(FunnelTemplates.Aida, Path(1, 3, true, "price", 60).Concat(Path(2, 4, false, "price", 30)).Concat(Path(3, 1, true, "competitor", 90)));

    private static (string Text, FunnelJsonException Exception) ReadMutated(Action<JsonNode> mutate)
    {
        var root = JsonNode.Parse(FunnelJson.WriteReport(SampleReport()))!;
        mutate(root);
        var text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return (text, Assert.Throws<FunnelJsonException>(() => FunnelJson.ReadReport(text, FunnelTemplates.All)));
    }

    private static int LineOf(string text, string fragment)
    {
        var index = text.IndexOf(fragment, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{fragment}' is not in the document");
        return text[..index].Count(c => c == '\n') + 1;
    }

    private static void AssertProblem(FunnelJsonException ex, string path, int line, string message)
    {
        var problem = Assert.Single(ex.Problems, p => p.Path == path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.Equal(line, problem.Line);
        Assert.Contains($"{path}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"(line {line})", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertProportion(Proportion expected, JsonElement actual)
    {
        Assert.Equal(expected.Successes, actual.GetProperty("successes").GetInt64());
        Assert.Equal(expected.Trials, actual.GetProperty("trials").GetInt64());
        Assert.Equal(expected.Value, actual.GetProperty("value").GetDouble());
        Assert.Equal(expected.Interval.Lower, actual.GetProperty("lower").GetDouble());
        Assert.Equal(expected.Interval.Upper, actual.GetProperty("upper").GetDouble());
        Assert.Equal(expected.IsSmallSample, actual.GetProperty("smallSample").GetBoolean());
    }
}
