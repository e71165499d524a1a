namespace Funnel.Core.Rules;

/// <summary>A guard made from a delegate, for quick custom logic. Add it with <see cref="RuleSetBuilderExtensions.AddGuard(RuleSetBuilder, string, Func{GuardArguments, GuardVerdict}, GuardScope, int)"/>.</summary>
/// <remarks>Thread-safe when the delegate is. Lambda rules cannot be described as data.</remarks>
public sealed class LambdaGuard : ITransitionGuard
{
    private readonly Func<GuardArguments, GuardVerdict> _check;

    /// <summary>Creates the guard.</summary>
    /// <param name="check">The decision.</param>
    /// <exception cref="ArgumentNullException"><paramref name="check"/> is <see langword="null"/>.</exception>
    public LambdaGuard(Func<GuardArguments, GuardVerdict> check)
    {
        Guard.Against.Null(check);
        _check = check;
    }

    /// <inheritdoc />
    public GuardVerdict Check(in GuardArguments arguments) => _check(arguments);
}
