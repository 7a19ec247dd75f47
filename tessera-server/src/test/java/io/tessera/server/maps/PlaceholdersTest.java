package io.tessera.server.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.server.http.ApiException;
import io.tessera.server.http.Json;
import org.junit.jupiter.api.Test;

/** Template validation and safe placeholder substitution (security 10), as pure functions. */
class PlaceholdersTest {

    private static ObjectNode template(String sql, String placeholders) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("{\"version\":\"0.0.1\",\"name\":\"t\",\"placeholders\":{" + placeholders
                + "},\"layergroup\":{\"layers\":[{\"type\":\"cartodb\",\"options\":{\"sql\":" + Json.MAPPER.writeValueAsString(sql)
                + ",\"cartocss\":\"#l { marker-fill: <%= color %>; }\",\"cartocss_version\":\"2.1.1\"}}]}}");
    }

    private static String sqlWith(ObjectNode t, String params) throws Exception {
        return Placeholders.layergroup(t, Json.MAPPER.readTree(params)).at("/layers/0/options/sql").asText();
    }

    private static final String PH = "\"name\":{\"type\":\"sql_literal\",\"default\":\"x\"},"
            + "\"col\":{\"type\":\"sql_ident\",\"default\":\"name\"},\"n\":{\"type\":\"number\",\"default\":1},"
            + "\"color\":{\"type\":\"css_color\",\"default\":\"red\"}";

    @Test
    void valuesStayInTheirPlace() throws Exception {
        ObjectNode t = Templates.validate(template(
                "SELECT * FROM t WHERE name = '<%= name %>' AND <%= col %> IS NOT NULL AND \"<%=col%>\" <> '' AND n > 1 -<%= n %>", PH));
        assertThat(sqlWith(t, "{}")).isEqualTo("SELECT * FROM t WHERE name = 'x' AND \"name\" IS NOT NULL AND \"name\" <> '' AND n > 1 -1");
        assertThat(sqlWith(t, "{\"name\":\"o'; DROP TABLE t; --\",\"col\":\"a\\\"b\",\"n\":\"-1\"}"))
                .isEqualTo("SELECT * FROM t WHERE name = 'o''; DROP TABLE t; --' AND \"a\"\"b\" IS NOT NULL AND \"a\"\"b\" <> '' AND n > 1 -(-1)");
        assertThat(Placeholders.layergroup(t, Json.MAPPER.readTree("{\"color\":\"#ff6600\"}")).at("/layers/0/options/cartocss").asText())
                .isEqualTo("#l { marker-fill: #ff6600; }");
    }

    @Test
    void badValuesAreRefused() throws Exception {
        ObjectNode t = Templates.validate(template("SELECT * FROM t WHERE n = <%= n %> AND c = '<%= color %>'", PH));
        for (String bad : new String[] {"{\"n\":\"1; DROP TABLE t\"}", "{\"n\":\"1e\"}", "{\"color\":\"red;}\"}",
                "{\"color\":\"#12345678\"}", "{\"col\":\"\"}"}) {
            assertThatThrownBy(() -> sqlWith(t, bad)).as(bad).isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
        }
    }

    @Test
    void placeholdersWhereTheyCouldEscapeAreRefusedAtSave() {
        String[] misplaced = {
            "SELECT * FROM t WHERE name = <%= name %>",          // literal outside quotes
            "SELECT * FROM t WHERE name = E'<%= name %>'",        // escape string: a backslash would escape
            "SELECT * FROM t WHERE name = '<%= col %>'",          // ident inside a literal
            "SELECT * FROM t -- <%= name %>\nWHERE true",         // in a comment
            "SELECT * FROM t /* a /* b */ WHERE name = '<%= name %>' */", // in a nested block comment, as PostgreSQL nests them
            "SELECT * FROM t /* /* /* */ */ '<%= name %>' */",   // deeper nesting
            "SELECT $$<%= name %>$$ FROM t",                      // dollar quote
            "SELECT * FROM t WHERE \"<%= name %>\" = 1"           // literal inside an identifier
        };
        for (String sql : misplaced) {
            assertThatThrownBy(() -> Templates.validate(template(sql, PH))).as(sql)
                    .isInstanceOf(ApiException.class).hasMessageContaining("cannot be used in");
        }
    }

    @Test
    void templateValidationMessages() throws Exception {
        assertThatThrownBy(() -> Templates.validate(Json.MAPPER.readTree("{\"version\":\"0.0.2\",\"name\":\"t\"}")))
                .hasMessage("Unsupported template version 0.0.2");
        assertThatThrownBy(() -> Templates.validate(Json.MAPPER.readTree("{\"version\":\"0.0.1\"}")))
                .hasMessage("Missing template name");
        assertThatThrownBy(() -> Templates.validate(Json.MAPPER.readTree("{\"version\":\"0.0.1\",\"name\":\"a b\"}")))
                .hasMessage("Invalid characters in template name 'a b'");
        assertThatThrownBy(() -> Templates.validate(template("SELECT 1", "\"x\":{\"type\":\"evil\",\"default\":1}")))
                .hasMessage("Invalid placeholder type 'evil'");
        ObjectNode t = template("SELECT 1", "");
        t.putObject("auth").put("method", "token");
        assertThatThrownBy(() -> Templates.validate(t)).hasMessageContaining("valid_tokens");
        ObjectNode ok = template("SELECT 1", "");
        ok.put("api_key", "secret").put("client", "cps");
        ObjectNode v = Templates.validate(ok);
        assertThat(v.has("api_key")).isFalse();
        assertThat(v.has("client")).isFalse();
        assertThat(v.at("/auth/method").asText()).isEqualTo("open");
    }
}
