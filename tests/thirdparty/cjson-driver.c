/* A small program over cJSON (Debian's source package, fetched by setup.sh)
 * for the differential session cjson.vs-gdb: it parses a document, walks and
 * queries it, adds to it and prints it, so that a debugger meets cJSON's
 * parser, its tree and its printer. Nothing it prints depends on pointer
 * size. */
#include <stdio.h>
#include <stdlib.h>
#include "cJSON.h"

static const char document[] = "{\"name\": \"wdb\", \"version\": 3, \"ratio\": 0.25,"
                               " \"tags\": [\"wasm\", \"dwarf\", 7, \"gdb\"],"
                               " \"owner\": {\"login\": \"ada\", \"id\": 1815, \"admin\": true},"
                               " \"parent\": null}";

/* The number of strings in root's array "tags". */
static int count_strings(const cJSON *root)
{
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(root, "tags");
    const cJSON *tag = NULL;
    int strings = 0;

    cJSON_ArrayForEach(tag, tags)
    {
        if (cJSON_IsString(tag)) strings++;
    }
    return strings;
}

int main(void)
{
    cJSON *root = cJSON_Parse(document);
    if (root == NULL) {
        printf("parse error before: %.10s\n", cJSON_GetErrorPtr());
        return 1;
    }
    const cJSON *owner = cJSON_GetObjectItemCaseSensitive(root, "owner");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(owner, "id");
    int strings = count_strings(root);
    cJSON_AddNumberToObject(root, "strings", strings);
    cJSON_AddStringToObject(root, "checked", "yes");
    char *text = cJSON_PrintUnformatted(root);
    printf("%s\n", text);
    printf("owner %d, %d strings\n", id->valueint, strings);
    cJSON_free(text);
    cJSON_Delete(root);
    return 0;
}
