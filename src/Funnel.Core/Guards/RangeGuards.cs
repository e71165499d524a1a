using System.Numerics;
using System.Runtime.CompilerServices;

namespace Funnel.Core;

/// <summary>
/// Range preconditions as <c>Guard.Against.*</c> extensions: each throws <see cref="ArgumentOutOfRangeException"/>
/// with the runtime's own message and the parameter name from <see cref="CallerArgumentExpressionAttribute"/>, as the
/// library documented before it used Ardalis.GuardClauses (whose built-in <c>Negative</c> and <c>OutOfRange</c> throw
/// <see cref="ArgumentException"/> with other messages, so they are not used for these).
/// </summary>
internal static class RangeGuards
{
    /// <summary>Throws when <paramref name="input"/> is negative.</summary>
    /// <returns><paramref name="input"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T NegativeNumber<T>(this IGuardClause guardClause, T input, [CallerArgumentExpression(nameof(input))] string? parameterName = null)
        where T : INumberBase<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(input, parameterName);
        return input;
    }

    /// <summary>Throws when <paramref name="input"/> is negative or zero.</summary>
    /// <returns><paramref name="input"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T NegativeOrZeroNumber<T>(this IGuardClause guardClause, T input, [CallerArgumentExpression(nameof(input))] string? parameterName = null)
        where T : INumberBase<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(input, parameterName);
        return input;
    }

    /// <summary>Throws when <paramref name="input"/> is zero.</summary>
    /// <returns><paramref name="input"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ZeroNumber<T>(this IGuardClause guardClause, T input, [CallerArgumentExpression(nameof(input))] string? parameterName = null)
        where T : INumberBase<T>
    {
        ArgumentOutOfRangeException.ThrowIfZero(input, parameterName);
        return input;
    }

    /// <summary>Throws when <paramref name="input"/> is less than <paramref name="minimum"/>.</summary>
    /// <returns><paramref name="input"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LessThan<T>(this IGuardClause guardClause, T input, T minimum, [CallerArgumentExpression(nameof(input))] string? parameterName = null)
        where T : IComparable<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(input, minimum, parameterName);
        return input;
    }

    /// <summary>Throws when <paramref name="input"/> is greater than <paramref name="maximum"/>.</summary>
    /// <returns><paramref name="input"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T GreaterThan<T>(this IGuardClause guardClause, T input, T maximum, [CallerArgumentExpression(nameof(input))] string? parameterName = null)
        where T : IComparable<T>
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(input, maximum, parameterName);
        return input;
    }

    /// <summary>Throws when <paramref name="input"/> is greater than or equal to <paramref name="limit"/>.</summary>
    /// <returns><paramref name="input"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T GreaterThanOrEqual<T>(this IGuardClause guardClause, T input, T limit, [CallerArgumentExpression(nameof(input))] string? parameterName = null)
        where T : IComparable<T>
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(input, limit, parameterName);
        return input;
    }

    /// <summary>Throws when <paramref name="input"/> is outside <paramref name="minimum"/>..<paramref name="maximum"/> (both included).</summary>
    /// <returns><paramref name="input"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T NotBetween<T>(this IGuardClause guardClause, T input, T minimum, T maximum, [CallerArgumentExpression(nameof(input))] string? parameterName = null)
        where T : IComparable<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(input, minimum, parameterName);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(input, maximum, parameterName);
        return input;
    }

    /// <summary>Throws when <paramref name="index"/> is not an index into <paramref name="count"/> items (negative, or <paramref name="count"/> or more).</summary>
    /// <returns><paramref name="index"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T IndexOutOfRange<T>(this IGuardClause guardClause, T index, T count, [CallerArgumentExpression(nameof(index))] string? parameterName = null)
        where T : INumberBase<T>, IComparable<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index, parameterName);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count, parameterName);
        return index;
    }

    /// <summary>Throws when <paramref name="input"/> does not lie strictly between 0 and 1 (NaN included), with <paramref name="message"/>.</summary>
    /// <returns><paramref name="input"/>.</returns>
    public static double OutsideOpenUnitInterval(this IGuardClause guardClause, double input, string message, [CallerArgumentExpression(nameof(input))] string? parameterName = null)
    {
        if (!(input > 0 && input < 1))
        {
            throw new ArgumentOutOfRangeException(parameterName, input, message);
        }

        return input;
    }

    /// <summary>Throws when <paramref name="input"/> is not a named value of its enum, with <paramref name="message"/>.</summary>
    /// <returns><paramref name="input"/>.</returns>
    public static TEnum UndefinedEnum<TEnum>(this IGuardClause guardClause, TEnum input, string message, [CallerArgumentExpression(nameof(input))] string? parameterName = null)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(input))
        {
            throw new ArgumentOutOfRangeException(parameterName, input, message);
        }

        return input;
    }
}
