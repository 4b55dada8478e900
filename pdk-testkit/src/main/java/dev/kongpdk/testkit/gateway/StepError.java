package dev.kongpdk.testkit.gateway;

/**
 * An answer sent with {@code plugin.StepError}: a PDK function returned {@code nil, err} on Kong
 * 2.8 (Kong 3.x drops the error and sends no {@code Data}).
 *
 * @param message the error string Kong sends as {@code Data}
 */
public record StepError(String message) {}
