package io.iios.transport.http.internal;

import io.iios.api.InstanceInfo;
import io.iios.api.MethodInfo;
import io.iios.api.ServiceInfo;
import io.iios.transport.http.HttpOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** An OpenAPI 3.1 document of the REST gateway, generated from the live services at each request. */
final class OpenApiDocument {
    private OpenApiDocument() {
    }

    static Map<String, Object> of(List<ServiceInfo> services, String namespace, HttpOptions.Auth auth) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "IIOS gateway (namespace " + namespace + ")", "version", "1",
                "description", "Verb-annotated methods of the live services. Arguments are a JSON array "
                        + "(body), or for GET ?args=[...] and/or repeated a=VALUE. Errors are RFC 9457 problems."));
        Map<String, Object> paths = new TreeMap<>();
        for (ServiceInfo s : services) {
            Map<String, MethodInfo> methods = new TreeMap<>();
            String version = "";
            for (InstanceInfo i : s.instances()) {
                version = i.version();
                i.methods().values().stream().filter(MethodInfo::publicHttp).forEach(m -> methods.put(m.name(), m));
            }
            for (MethodInfo m : methods.values()) {
                Map<String, Object> op = new LinkedHashMap<>();
                op.put("operationId", s.name() + "_" + m.name());
                op.put("tags", List.of(s.name()));
                op.put("summary", s.name() + "." + m.name() + " (service version " + version + ")");
                if (m.verb() == io.iios.api.Verb.GET) {
                    op.put("parameters", List.of(
                            Map.of("name", "args", "in", "query", "required", false,
                                    "description", "the arguments as a JSON array",
                                    "schema", Map.of("type", "string")),
                            Map.of("name", "a", "in", "query", "required", false,
                                    "description", "one argument (JSON, else a string), repeated in order",
                                    "schema", Map.of("type", "array", "items", Map.of("type", "string")),
                                    "style", "form", "explode", true)));
                } else {
                    op.put("requestBody", Map.of("required", false, "content", Map.of("application/json",
                            Map.of("schema", Map.of("type", "array", "description", "positional arguments")))));
                }
                Map<String, Object> responses = new LinkedHashMap<>();
                responses.put("200", Map.of("description", "the method's result",
                        "content", Map.of("application/json", Map.of("schema", Map.of()))));
                for (String code : List.of("400", "401", "403", "404", "405", "413", "500", "503", "504")) {
                    responses.put(code, Map.of("$ref", "#/components/responses/Problem"));
                }
                op.put("responses", responses);
                if (auth != HttpOptions.Auth.NONE) {
                    op.put("security", List.of(Map.of(auth == HttpOptions.Auth.JWT ? "bearer" : "proxy", List.of())));
                }
                paths.put("/api/" + s.name() + "/" + m.name(), Map.of(m.verb().name().toLowerCase(Locale.ROOT), op));
            }
        }
        paths.put("/api/services", Map.of("get", Map.of("operationId", "services", "summary",
                "live services and their HTTP methods", "responses", Map.of("200", Map.of("description", "services")))));
        paths.put("/api/events", Map.of("get", Map.of("operationId", "events", "summary",
                "events as Server-Sent Events", "parameters", List.of(Map.of("name", "pattern", "in", "query",
                        "schema", Map.of("type", "string"), "description", namespace + ":event, " + namespace
                                + ":SERVICE:event or " + namespace + ":SERVICE:event:NAME")),
                "responses", Map.of("200", Map.of("description", "an event stream",
                        "content", Map.of("text/event-stream", Map.of()))))));
        doc.put("paths", paths);
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("responses", Map.of("Problem", Map.of("description", "RFC 9457 problem details",
                "content", Map.of("application/problem+json", Map.of("schema", Map.of("type", "object",
                        "properties", Map.of("type", Map.of("type", "string"), "title", Map.of("type", "string"),
                                "status", Map.of("type", "integer"), "detail", Map.of("type", "string"),
                                "instance", Map.of("type", "string"))))))));
        if (auth == HttpOptions.Auth.JWT) {
            components.put("securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer",
                    "bearerFormat", "JWT")));
        } else if (auth == HttpOptions.Auth.HEADER) {
            components.put("securitySchemes", Map.of("proxy", Map.of("type", "apiKey", "in", "header",
                    "name", "set by the trusted proxy (iios.auth.header.name)")));
        }
        doc.put("components", components);
        return doc;
    }
}
