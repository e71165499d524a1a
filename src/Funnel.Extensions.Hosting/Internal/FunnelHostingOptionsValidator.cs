using Funnel.Extensions.Hosting.Configuration;
using Microsoft.Extensions.Options;

namespace Funnel.Extensions.Hosting.Internal;

/// <summary>Fails the options (and, with validate-on-start, the host) with every configuration problem and every out-of-range setting, each with its path.</summary>
internal sealed class FunnelHostingOptionsValidator : IValidateOptions<FunnelHostingOptions>
{
    public ValidateOptionsResult Validate(string? name, FunnelHostingOptions options)
    {
        var problems = new List<string>(options.ConfigurationProblems);
        var outbox = options.Outbox;
        Check(problems, outbox.BatchSize is >= 1 and <= 10_000, $"{options.SectionPath}:Outbox:BatchSize", $"must be 1 to 10000, not {outbox.BatchSize}.");
        Check(problems, outbox.PollInterval > TimeSpan.Zero, $"{options.SectionPath}:Outbox:PollInterval", $"must be more than zero, not {outbox.PollInterval}.");
        Check(problems, outbox.MaxAttempts >= 1, $"{options.SectionPath}:Outbox:MaxAttempts", $"must be at least 1, not {outbox.MaxAttempts}.");
        Check(problems, outbox.InitialBackoff > TimeSpan.Zero, $"{options.SectionPath}:Outbox:InitialBackoff", $"must be more than zero, not {outbox.InitialBackoff}.");
        Check(problems, outbox.MaxBackoff >= outbox.InitialBackoff, $"{options.SectionPath}:Outbox:MaxBackoff", $"must be at least InitialBackoff ({outbox.InitialBackoff}), not {outbox.MaxBackoff}.");
        var health = options.Health;
        Check(problems, health.BacklogDegraded >= 0, $"{options.SectionPath}:Health:BacklogDegraded", $"must not be negative, not {health.BacklogDegraded}.");
        Check(problems, health.BacklogUnhealthy >= health.BacklogDegraded, $"{options.SectionPath}:Health:BacklogUnhealthy", $"must be at least BacklogDegraded ({health.BacklogDegraded}), not {health.BacklogUnhealthy}.");
        Check(problems, health.OldestAgeDegraded >= TimeSpan.Zero, $"{options.SectionPath}:Health:OldestAgeDegraded", $"must not be negative, not {health.OldestAgeDegraded}.");
        Check(problems, health.OldestAgeUnhealthy >= health.OldestAgeDegraded, $"{options.SectionPath}:Health:OldestAgeUnhealthy", $"must be at least OldestAgeDegraded ({health.OldestAgeDegraded}), not {health.OldestAgeUnhealthy}.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Check(List<string> problems, bool ok, string path, string message)
    {
        if (!ok)
        {
            problems.Add($"{path}: {message}");
        }
    }
}
