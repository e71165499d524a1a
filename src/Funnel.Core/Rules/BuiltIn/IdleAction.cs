namespace Funnel.Core.Rules;

/// <summary>What <see cref="IdleLimitRule"/> does with a lead idle past its stage's limit.</summary>
public enum IdleAction
{
    /// <summary>Schedule a reminder task for the owner. The <see langword="default"/>.</summary>
    Remind = 0,

    /// <summary>Mark the lead lost with the configured reason (a stale deal).</summary>
    MarkLost = 1,
}
