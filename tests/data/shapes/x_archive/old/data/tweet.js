window.YTD.tweet.part0 = [
  {
    "retweeted" : false,
    "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
    "entities" : {
      "hashtags" : [],
      "symbols" : [],
      "user_mentions" : [],
      "urls" : []
    },
    "display_text_range" : [
      "0",
      "37"
    ],
    "favorite_count" : "3",
    "id_str" : "1170000000000000101",
    "truncated" : false,
    "retweet_count" : "1",
    "id" : "1170000000000000101",
    "created_at" : "Fri Sep 06 20:38:01 +0000 2019",
    "favorited" : false,
    "full_text" : "Shelter on Elm street is open tonight",
    "lang" : "en"
  },
  {
    "retweeted" : false,
    "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
    "entities" : {
      "hashtags" : [],
      "symbols" : [],
      "user_mentions" : [],
      "urls" : []
    },
    "display_text_range" : [
      "0",
      "28"
    ],
    "favorite_count" : "0",
    "id_str" : "1170000000000000102",
    "truncated" : false,
    "retweet_count" : "0",
    "id" : "1170000000000000102",
    "created_at" : "Fri Sep 06 21:00:00 +0000 2019",
    "favorited" : false,
    "full_text" : "@ada_lin yes, bring blankets",
    "lang" : "en",
    "in_reply_to_status_id_str" : "1170000000000000050",
    "in_reply_to_status_id" : "1170000000000000050",
    "in_reply_to_user_id" : "4466116167",
    "in_reply_to_user_id_str" : "4466116167",
    "in_reply_to_screen_name" : "ada_lin"
  }
]
