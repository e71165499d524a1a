using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>An automation made from a delegate, for quick custom logic. Add it with <see cref="RuleSetBuilderExtensions.AddAutomation(RuleSetBuilder, string, SignalKinds, Func{AutomationArguments, ImmutableArray{RuleCommand}}, int)"/>.</summary>
/// <remarks>Thread-safe when the delegate is. Lambda rules cannot be described as data.</remarks>
public sealed class LambdaAutomation : IAutomation
{
    private readonly Func<AutomationArguments, ImmutableArray<RuleCommand>> _react;

    /// <summary>Creates the automation.</summary>
    /// <param name="react">The reaction.</param>
    /// <exception cref="ArgumentNullException"><paramref name="react"/> is <see langword="null"/>.</exception>
    public LambdaAutomation(Func<AutomationArguments, ImmutableArray<RuleCommand>> react)
    {
        Guard.Against.Null(react);
        _react = react;
    }

    /// <inheritdoc />
    public ImmutableArray<RuleCommand> React(in AutomationArguments arguments) => _react(arguments);
}
