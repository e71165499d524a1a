using System.Runtime.CompilerServices;

namespace Funnel.Core;

/// <summary>
/// Text preconditions as <c>Guard.Against.*</c> extensions, with the runtime's own exceptions and messages
/// (<see cref="ArgumentNullException"/> for null, <see cref="ArgumentException"/> otherwise) as documented before
/// Ardalis.GuardClauses; its <c>NullOrWhiteSpace</c> words the message differently.
/// </summary>
internal static class TextGuards
{
    /// <summary>Throws when <paramref name="input"/> is null, empty or white space.</summary>
    /// <returns><paramref name="input"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string NullOrBlank(this IGuardClause guardClause, [System.Diagnostics.CodeAnalysis.NotNull] string? input, [CallerArgumentExpression(nameof(input))] string? parameterName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input, parameterName);
        return input;
    }

    /// <summary>Throws when <paramref name="input"/> is null or empty (white space is allowed: a file name may be one).</summary>
    /// <returns><paramref name="input"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string NullOrEmptyText(this IGuardClause guardClause, [System.Diagnostics.CodeAnalysis.NotNull] string? input, [CallerArgumentExpression(nameof(input))] string? parameterName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(input, parameterName);
        return input;
    }
}
