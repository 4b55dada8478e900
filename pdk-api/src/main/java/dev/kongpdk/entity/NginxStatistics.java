package dev.kongpdk.entity;

/**
 * Nginx's connection and request counters, as {@code kong.nginx.get_statistics()} returns them.
 *
 * @param connectionsActive active client connections, idle ones included
 * @param connectionsReading connections where nginx is reading the request header
 * @param connectionsWriting connections where nginx is writing the response
 * @param connectionsWaiting idle client connections waiting for a request
 * @param connectionsAccepted accepted client connections in total
 * @param connectionsHandled handled connections in total
 * @param totalRequests client requests in total
 */
public record NginxStatistics(
    long connectionsActive,
    long connectionsReading,
    long connectionsWriting,
    long connectionsWaiting,
    long connectionsAccepted,
    long connectionsHandled,
    long totalRequests) {}
