/* Days from the civil calendar (see civil.h): the era-based method (400-year
 * cycles of 146097 days), with March as the first month of the year. */
#include "civil.h"

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

uint64_t civil_to_unix(unsigned year, unsigned month, unsigned day, unsigned hour,
                       unsigned minute, unsigned second)
{
    if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31
        || hour > 23 || minute > 59 || second > 60)
        return 0;
    int64_t days = days_from_civil(year, month, day);
    return (uint64_t)days * 86400 + hour * 3600 + minute * 60 + second;
}
