using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Funnel.Core.Metrics;
using Funnel.Core.Rules;
using Xunit;

namespace Funnel.Core.Tests.Docs;

/// <summary>
/// The code of docs/getting-started.md, step by step, so that the guide cannot drift from the API: each region below is
/// copied into the guide verbatim (between the <c>// guide:</c> markers), and the assertions check what the guide says.
/// </summary>
public sealed partial class GettingStartedTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The files whose <c>// guide:</c> regions the guide shows, relative to the repository root.</summary>
    private static readonly string[] GuideSources =
    [
        "tests/Funnel.Core.Tests/Docs/GettingStartedTests.cs",
        "tests/Funnel.Storage.Sqlite.Tests/GettingStartedStorageTests.cs",
    ];

    [Fact]
    public void The_guide_shows_exactly_the_code_these_tests_run()
    {
        var root = RepositoryRoot.Find();
        var guide = File.ReadAllText(Path.Combine(root, "docs", "getting-started.md")).ReplaceLineEndings("\n");
        var regions = GuideSources
            .SelectMany(file => GuideRegion().Matches(File.ReadAllText(Path.Combine(root, file)).ReplaceLineEndings("\n"))
                .Select(m => (Name: $"{file}#{m.Groups["name"].Value}", Code: Dedent(m.Groups["code"].Value))))
            .ToList();
        var blocks = CSharpBlock().Matches(guide).Select(m => m.Groups["code"].Value).ToList();

        Assert.Equal(6, regions.Count);
        foreach (var (name, code) in regions)
        {
            Assert.True(blocks.Contains(code), $"docs/getting-started.md no longer shows the code of {name}:\n{code}");
        }
    }

    [Fact]
    public void Step2_the_builder_reports_every_problem_at_once()
    {
        // guide: define
        var pipeline = new FunnelDefinitionBuilder("agency", "Agency pipeline")
            .AddStage("request", s => s.WithKind(StageKind.Technical).WithIdleLimit(TimeSpan.FromHours(4)))
            .AddStage("proposal", s => s.WithOwner("Sales"))
            .AddStage("invoice", s => s.WithKind(StageKind.Key).RequireAttributes("amount"))
            .AddStage("paid")
            .WonAt("paid")
            .AllowTransition("invoice", "proposal")          // a move back, declared
            .AddLossReasons(LossReasonCatalog.Standard)
            .Build();                                         // throws FunnelDefinitionException listing every problem
        // guide: end

        Assert.Equal(4, pipeline.Stages.Length);

        // guide: problems
        var ok = new FunnelDefinitionBuilder("broken")
            .AddStage("a")
            .AddStage("a")                                    // duplicate key
            .AddStage("b", s => s.WithWinProbability(1.5))    // outside 0..1
            .WonAt("c")                                       // unknown stage
            .TryBuild(out _, out var problems);
        foreach (var problem in problems)
        {
            Console.WriteLine($"{problem.Code} at {problem.Location}: {problem.Message}");
        }
        // guide: end

        Assert.False(ok);
        Assert.True(problems.Length >= 3, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Step3_moves_return_results()
    {
        var funnel = FunnelTemplates.Aida;
        var t0 = T0;

        // guide: moves
        var lead = Journey.Start(funnel, "ann", t0, actor: "web", attributes: [new("source", "search")]);
        JourneyResult moved = lead.MoveTo("interest", t0.AddMinutes(3));
        if (moved.Succeeded)
        {
            lead = moved.Journey;                                  // a new, immutable journey; the old one is unchanged
        }

        var skip = lead.MoveTo("action", t0.AddMinutes(4));        // a skip the funnel does not allow
        foreach (var violation in skip.Violations)                 // every reason, with a stable rule id
        {
            Console.WriteLine($"[{violation.RuleId}] {violation.Message}");
        }

        var lost = lead.MarkLost(LossReasonCatalog.Price.Key, t0.AddDays(1), actor: "anna").GetJourneyOrThrow();
        Console.WriteLine($"{lost.Status} at {lost.LostAtStage!.Key}: {lost.LossReason!.DisplayName}");
        // guide: end

        Assert.Equal("interest", lead.CurrentStage.Key.ToString());
        Assert.False(skip.Succeeded);
        Assert.NotEmpty(skip.Violations);
        Assert.Equal(JourneyStatus.Lost, lost.Status);
    }

    [Fact]
    public void Step4_rules_guard_and_automate()
    {
        var pipeline = FunnelTemplates.B2BPipeline;
        var t0 = T0;

        // guide: rules
        var rules = new RuleSetBuilder()                            // build once, share across leads and threads
            .AddNoSkippingKeyStages()
            .AddLossReasonRequired(new LossReasonOptions { CommentRequiredFor = [LossReasonCatalog.Competitor.Key] })
            .AddAutoAdvance(new AutoAdvanceOptions
            {
                Id = "proposal-opened", Signal = "email.opened", From = "proposal-sent", To = "proposal-read",
                TaskTitle = "Call the client",
            })
            .Build();
        var problems = rules.Validate(pipeline);                    // a rule naming an unknown stage: say so at start-up

        var deal = Journey.Start(pipeline, "acme", t0, "web-form", [new("owner", "anna")]);
        deal = rules.Run(deal, MoveRequest.MoveTo("proposal-sent", t0.AddHours(1), "anna")).Journey;

        RuleRun run = rules.Run(deal, FunnelSignal.External("email.opened", t0.AddHours(5)));
        deal = run.Journey;                                         // moved to proposal-read by the automation
        foreach (var command in run.Pending)                        // what is left for your app to carry out
        {
            Console.WriteLine(command is ScheduleTaskCommand task ? $"task '{task.Title}' for {task.Assignee}" : command.ToString());
        }
        // guide: end

        Assert.True(problems.IsEmpty, string.Join(" ", problems));
        Assert.Equal("proposal-read", deal.CurrentStage.Key.ToString());
        Assert.Contains(run.Pending, c => c is ScheduleTaskCommand { Title: "Call the client" });
    }

    [Fact]
    public void Step5_the_report()
    {
        var funnel = FunnelTemplates.Aida;
        var t0 = T0;
        var journeys = ImmutableArray.Create(
            Journey.Start(funnel, "ann", t0, attributes: [new("source", "search")])
                .MoveTo("interest", t0.AddMinutes(3)).GetJourneyOrThrow()
                .MoveTo("desire", t0.AddMinutes(9)).GetJourneyOrThrow()
                .MoveTo("action", t0.AddMinutes(15)).GetJourneyOrThrow(),
            Journey.Start(funnel, "bob", t0, attributes: [new("source", "ads")])
                .MoveTo("interest", t0.AddHours(2)).GetJourneyOrThrow()
                .MarkLost(LossReasonCatalog.SlowResponse.Key, t0.AddDays(2)).GetJourneyOrThrow(),
            Journey.Start(funnel, "cleo", t0.AddHours(4), attributes: [new("source", "ads")]));

        // guide: report
        var query = FunnelQuery.Default                             // ordered, anchored at the first entry into the first stage
            .Ordered(TimeSpan.FromDays(30))                         // ... within 30 days of it
            .WithAsOf(t0.AddDays(7));                               // open leads judged as of this time
        var report = FunnelReport.Compute(funnel, journeys, query);
        foreach (var stage in report.Stages)
        {
            var rate = stage.ConversionFromPrevious;                // a Proportion: value, Wilson interval, small-sample flag
            Console.WriteLine($"{stage.Stage.DisplayName,-22} reached {stage.Reached,3}  {rate.Value,6:P0}  " +
                $"[{rate.Interval.Lower:P0}–{rate.Interval.Upper:P0}]{(rate.IsSmallSample ? "  (too few leads)" : "")}");
        }

        Console.WriteLine($"won {report.Won}, lost {report.Lost}, open {report.Open}, win rate {report.WinRate.Value:P0}");
        var bySource = SegmentBreakdown.Compute(funnel, journeys, SegmentKey.Attribute("source"), query);
        // guide: end

        Assert.Equal(3, report.Stages[0].Reached);
        Assert.Equal(1, report.Won);
        Assert.Equal(1, report.Lost);
        Assert.Equal(1, report.Open);
        Assert.True(report.Stages[1].ConversionFromPrevious.IsSmallSample);
        Assert.Contains(bySource.Segments, s => s.Name == "ads");
    }

    private static string Dedent(string code)
    {
        var lines = code.TrimEnd('\n').Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart(' ').Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart(' '))) + "\n";
    }

    [GeneratedRegex(@"^[ \t]*// guide: (?<name>\w+)\n(?<code>.*?)^[ \t]*// guide: end\n", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex GuideRegion();

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();
}
