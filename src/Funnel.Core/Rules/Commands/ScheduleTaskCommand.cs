using System.Globalization;

namespace Funnel.Core.Rules;

/// <summary>A command to schedule a task for a person or team, such as "Call the client" for the deal's owner. The caller carries it out.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class ScheduleTaskCommand : RuleCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="ruleId">The emitting rule's id; not blank.</param>
    /// <param name="journeyId">The journey's id; not blank.</param>
    /// <param name="title">What to do; not blank.</param>
    /// <param name="due">When it is due.</param>
    /// <param name="assignee">Who should do it, or <see langword="null"/> for the caller to decide.</param>
    /// <exception cref="ArgumentException">An id or <paramref name="title"/> is blank.</exception>
    public ScheduleTaskCommand(string ruleId, string journeyId, string title, DateTimeOffset due, string? assignee)
        : base(ruleId, journeyId)
    {
        Guard.Against.NullOrBlank(title);
        Title = title;
        Due = due;
        Assignee = assignee;
    }

    /// <summary>Gets what to do.</summary>
    public string Title { get; }

    /// <summary>Gets when it is due.</summary>
    public DateTimeOffset Due { get; }

    /// <summary>Gets who should do it, or <see langword="null"/> for the caller to decide.</summary>
    public string? Assignee { get; }

    /// <summary>Returns the command as text.</summary>
    /// <returns>A text such as <c>task "Call the client" for anna due 2026-01-01T10:00:00+00:00 on lead-1 (auto-advance)</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"task \"{Title}\" for {Assignee ?? "(unassigned)"} due {Due:O} on {JourneyId} ({RuleId})");
}
